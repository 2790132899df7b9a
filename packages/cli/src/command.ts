/**
 * A CLI command declared as data (vitest style): its options, and one library call that does the work.
 * main.ts turns these into yargs commands, prints the result (`--json` → one JSON object on stdout) and maps errors
 * to one readable sentence on stderr.
 */
import type { Options } from 'yargs';

/** What every command receives besides its parsed options. */
export interface CommandContext {
  /** `--json`: the command's return value is printed as one JSON object on stdout; no human-readable text there. */
  json: boolean;
  /** `--verbose`: stack traces on error, more detail. */
  verbose: boolean;
  /** Aborted on the first Ctrl-C for commands with `handlesInterrupt` (they stop cleanly, e.g. saving a checkpoint). */
  signal: AbortSignal;
  /** Human-readable output (stdout), silenced with --json. */
  log(line: string): void;
}

/** A command's declaration. `A` is the shape of its parsed options. */
export interface CommandSpec<A = Record<string, unknown>, R = unknown> {
  /** yargs command string, e.g. `mine` or `load <input>`. */
  command: string;
  describe: string;
  options: Record<string, Options>;
  /** Positional arguments (for commands like `load <input>`). */
  positionals?: Record<string, Options & { type?: 'string' | 'number' | 'boolean' }>;
  examples?: [string, string][];
  /** When true, the first Ctrl-C aborts `ctx.signal` instead of exiting at once. */
  handlesInterrupt?: boolean;
  run(args: A, ctx: CommandContext): Promise<R>;
  /** Human-readable summary lines for stdout (without --json). */
  summarize?(result: R): string[];
}

/**
 * What a long library call takes from its command (`handlesInterrupt`): the signal the first Ctrl-C aborts, and a sink
 * for its progress notes on stderr, so that --json keeps stdout to one JSON object.
 *
 * @example
 * run: (args, ctx) => train({ ...optionsFrom<TrainOptions>(trainOptionSpecs, args), ...longCall(ctx) }),
 */
export function longCall(ctx: CommandContext): { signal: AbortSignal; log: (line: string) => void } {
  return { signal: ctx.signal, log: (line) => process.stderr.write(`${line}\n`) };
}

/** Identity helper that keeps the option types of a spec. */
export function defineCommand<A, R>(spec: CommandSpec<A, R>): CommandSpec<A, R> {
  return spec;
}
