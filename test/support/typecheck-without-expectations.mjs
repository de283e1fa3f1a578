// Compiles one TypeScript file (with the project's compiler options) after removing its @ts-expect-error markers,
// and prints the errors in that file as JSON [{ line, code }]. Used to prove a type test is not vacuous.
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const file = resolve(process.argv[2]);
const config = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const stripped = readFileSync(file, 'utf8').replace(/\/\/ @ts-expect-error.*$/gm, '//');
const host = ts.createCompilerHost(config.options);
const read = host.readFile;
host.readFile = (name) => (resolve(name) === file ? stripped : read.call(host, name));
const program = ts.createProgram([file], { ...config.options, noEmit: true }, host);
const errors = ts
  .getPreEmitDiagnostics(program)
  .filter((d) => d.file && resolve(d.file.fileName) === file)
  .map((d) => ({ line: d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1, code: d.code }));
process.stdout.write(JSON.stringify(errors));
