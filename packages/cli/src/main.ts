/**
 * The `tripletkit` entry point: parse, run one command, print its result, map errors to one sentence.
 */
import { isTripletkitError } from '@tripletkit/common';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CommandContext, CommandSpec } from './command.ts';
import { commands } from './commands/index.ts';

function printError(err: unknown, verbose: boolean): void {
  if (isTripletkitError(err)) {
    process.stderr.write(`tripletkit: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
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

async function runCommand(spec: CommandSpec<never, unknown>, argv: Record<string, unknown>): Promise<void> {
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
  try {
    const result = await spec.run(argv as never, ctx);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else for (const line of spec.summarize?.(result) ?? []) process.stdout.write(`${line}\n`);
  } catch (err) {
    printError(err, verbose);
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

/** Builds the yargs parser with every command registered. Exported for tests. */
export function buildCli(args: string[]): Argv {
  let cli = yargs(args)
    .scriptName('tripletkit')
    .usage('$0 <command> [options]\n\nTurn a folder of images into a trained embedding model with triplet loss.')
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON result object on stdout' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces on error' })
    .strict()
    .demandCommand(1, 'Give a command: tripletkit <command> --help lists its options.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns || 100))
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
      async (argv) => runCommand(spec, argv as Record<string, unknown>),
    );
  }
  return cli;
}

await buildCli(hideBin(process.argv)).parseAsync();
