// `npm run bench`: runs every section (or those whose name contains an argument) and prints Markdown tables
// that can be pasted into docs. Sections are listed here explicitly.
import { cpus } from 'node:os';
import { appSignSection } from './app-sign';
import { cliStartSection } from './cli-start';
import { coresSection } from './cores';
import { curvesSection } from './curves';
import { formatSection, type Section } from './harness';
import { importSection } from './import-size';
import { keystoreSection } from './keystore';
import { qrSection } from './qr';
import { reviewSection } from './review';
import { signingSection } from './signing';

const sections: Section[] = [keystoreSection, signingSection, curvesSection, qrSection, reviewSection, importSection, appSignSection, cliStartSection, coresSection];

const filter = process.argv.slice(2).map((a) => a.toLowerCase());
console.log(`# npm run bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`);
for (const section of sections) {
  if (filter.length > 0 && !filter.some((f) => section.name.toLowerCase().includes(f))) continue;
  const rows = await section.run();
  console.log(`${formatSection(section.name, rows)}\n`);
}
