export { type CommandContext, type CommandSpec, defineCommand } from './command.ts';
export { commands } from './commands/index.ts';
