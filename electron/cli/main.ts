#!/usr/bin/env node
// Entry point of the command-line signer: `npm run -s cli -- <command> ...` or the `offline-signer` bin.
import { commands } from './commands';
import { EXIT_OK, EXIT_USAGE, UsageError, printError, type CliContext } from './io';
import { promptHidden } from './passphrase';

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `offline-signer: air-gapped signer for BitGo multisig wallets (BitGo Express external-signer compatible)

Usage: offline-signer <command> [options]
       npm run -s cli -- <command> [options]

Commands:
${list}

Run "offline-signer <command> --help" for a command's options.
Failures print {"error","name","code"} as JSON on stdout and exit with status 1 (2 for usage errors).
This program never uses the network.
`;
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    return printError(ctx, new UsageError(`unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}`));
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, ctx);
  } catch (e) {
    return printError(ctx, e);
  }
}

export function processContext(): CliContext {
  const ctx: CliContext = { env: process.env, stdout: process.stdout, stderr: process.stderr };
  if (process.stdin.isTTY) ctx.prompt = promptHidden;
  return ctx;
}

/** Runs the CLI for this process: arguments from argv, exit status set when done. */
export function cliMain(): Promise<void> {
  return runCli(process.argv.slice(2), processContext()).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.exitCode = printError(processContext(), e);
    },
  );
}

// Run when executed directly (`tsx electron/cli/main.ts`); tests and the bin launcher import it instead.
if (process.argv[1] !== undefined && /cli[\\/]main\.ts$/.test(process.argv[1])) void cliMain();
