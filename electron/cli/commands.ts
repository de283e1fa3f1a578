// The command table of the command-line signer. A new command is one import and one entry here.
import { ceremonyCommand } from './ceremony';
import type { Command } from './io';
import { keysCommand } from './keys';
import { registryCommand } from './registry';
import { reviewCommand } from './review';
import { signCommand } from './sign';

export const commands: readonly Command[] = [keysCommand, registryCommand, signCommand, reviewCommand, ceremonyCommand];
