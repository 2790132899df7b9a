/**
 * The yargs parser: every command registered, one command run, its result printed, errors mapped to one sentence.
 * main.ts runs it; the build renders its `--help` for the launcher's fast path (scripts/bundle.mjs).
 */
import { readFileSync } from 'node:fs';
import { isTripletkitError } from '@tripletkit/common/errors';
import yargs, { type Argv } from 'yargs';
import type { CommandContext, CommandSpec } from './command.ts';
import { commands } from './commands/index.ts';
import { checkNumberFlags, flagMessage, flagNames } from './usageErrors.ts';

function printError(err: unknown, verbose: boolean, flags: Map<string, string>): void {
  if (isTripletkitError(err)) {
    const message = err.code === 'E_ARG' ? flagMessage(err.message, flags) : err.message;
    process.stderr.write(`tripletkit: ${message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.code === 'E_ARG' ? flagMessage(err.hint, flags) : err.hint}\n`);
    if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`tripletkit: unexpected error: ${message}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else
    process.stderr.write('hint: run again with --verbose for the stack trace, and report it if it looks like a bug.\n');
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** 128 + signal number, as shells report a process ended by that signal. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

async function runCommand(
  spec: CommandSpec<never, unknown>,
  argv: Record<string, unknown>,
  raw: string[],
): Promise<void> {
  const json = Boolean(argv.json);
  const verbose = Boolean(argv.verbose);
  const controller = new AbortController();
  // SIGTERM (kill, systemd, docker stop) and SIGHUP (a closed terminal) are handled like Ctrl-C.
  let caught: NodeJS.Signals = 'SIGINT';
  const onSignal = (sig: NodeJS.Signals) => {
    caught = sig;
    if (spec.handlesInterrupt && !controller.signal.aborted) {
      const what = sig === 'SIGINT' ? 'interrupted' : `received ${sig}`;
      process.stderr.write(`\ntripletkit: ${what}, finishing cleanly (press Ctrl-C again to quit at once)\n`);
      controller.abort();
      return;
    }
    process.exit(SIGNAL_EXIT[sig]); // temp outputs are removed by the exit hook in @tripletkit/common
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  const ctx: CommandContext = {
    json,
    verbose,
    signal: controller.signal,
    log: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
  };
  const flags = flagNames(spec.options);
  try {
    checkNumberFlags(spec.options, argv, raw);
    const result = await spec.run(argv as never, ctx);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else for (const line of spec.summarize?.(result) ?? []) process.stdout.write(`${line}\n`);
  } catch (err) {
    printError(err, verbose, flags);
    // Usage errors (a bad option value) exit 2 like yargs' own; interrupts 130; everything else 1.
    process.exitCode = isTripletkitError(err, 'E_INTERRUPTED')
      ? SIGNAL_EXIT[caught]
      : isTripletkitError(err, 'E_ARG')
        ? 2
        : 1;
  } finally {
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}

/** This package's version (package.json sits one level above src/ and dist/ alike). */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * yargs renders the running command's whole help before calling its handler, to show it should the command fail;
 * with `showHelpOnFail(false)` it is never shown, and rendering it (string widths of every line) costs ~40 ms of
 * start-up. `--help` itself renders afresh. yargs is pinned, and if its internals move this does nothing.
 */
function skipHelpCache(cli: Argv): void {
  const internals = (cli as unknown as { getInternalMethods?(): { getUsageInstance?(): Record<string, unknown> } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (internals && typeof internals.cacheHelpMessage === 'function') internals.cacheHelpMessage = () => {};
}

/**
 * Builds the yargs parser with every command registered. `width` is the help text's line width (the terminal's, at
 * most 120; 100 off a terminal); the build renders `--help` at fixed widths with it.
 */
export function buildCli(args: string[], width = Math.min(120, process.stdout.columns || 100)): Argv {
  let cli = yargs(args)
    .scriptName('tripletkit')
    .usage('$0 <command> [options]\n\nTurn a folder of images into a trained embedding model with triplet loss.')
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON result object on stdout' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces on error' })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'No progress display (also off with CI=true, TERM=dumb; plain lines when not on a terminal)',
    })
    .middleware((argv) => {
      // Read by createProgress in every thread (workers inherit the environment).
      if (argv.quiet) process.env.TRIPLETKIT_PROGRESS = 'off';
    })
    .strict()
    .demandCommand(1, 'Give a command: tripletkit <command> --help lists its options.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(VERSION)
    .alias('version', 'V')
    .wrap(width)
    .showHelpOnFail(false)
    .fail((msg, err) => {
      if (err) throw err;
      // yargs' recommendCommands says only "Did you mean X?": name the unknown command too.
      if (msg.startsWith('Did you mean')) msg = `Unknown command "${args[0]}". ${msg}`;
      process.stderr.write(
        `tripletkit: ${msg}\nhint: run \`tripletkit --help\` (or \`tripletkit <command> --help\`).\n`,
      );
      process.exit(2);
    });
  skipHelpCache(cli);
  for (const spec of commands) {
    cli = cli.command(
      spec.command,
      spec.describe,
      (y) => {
        let b = y.options(spec.options);
        for (const [name, opt] of Object.entries(spec.positionals ?? {})) b = b.positional(name, opt);
        for (const [cmd, desc] of spec.examples ?? []) b = b.example(cmd, desc);
        return b;
      },
      async (argv) => runCommand(spec, argv as Record<string, unknown>, args),
    );
  }
  return cli;
}
