import type { CommandSpec } from '../command.ts';
import { demoCommand } from './demo.ts';
import { embedCommand } from './embed.ts';
import { evalCommand } from './eval.ts';
import { indexCommand } from './indexCmd.ts';
import { loadCommand } from './load.ts';
import { mineCommand } from './mine.ts';
import { searchCommand } from './search.ts';
import { splitCommand } from './split.ts';
import { trainCommand } from './train.ts';

/** Every command of the CLI, in the order `--help` lists them. Each lives in its own file in this folder. */
export const commands: CommandSpec<never, unknown>[] = [
  loadCommand as CommandSpec<never, unknown>,
  splitCommand as CommandSpec<never, unknown>,
  mineCommand as CommandSpec<never, unknown>,
  trainCommand as CommandSpec<never, unknown>,
  embedCommand as CommandSpec<never, unknown>,
  evalCommand as CommandSpec<never, unknown>,
  indexCommand as CommandSpec<never, unknown>,
  searchCommand as CommandSpec<never, unknown>,
  demoCommand as CommandSpec<never, unknown>,
];
