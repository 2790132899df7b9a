/**
 * The `tripletkit` entry point: parse, run one command, print its result, map errors to one sentence.
 */
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.ts';

// `tripletkit … --json | head`: the reader went away; stop quietly instead of printing an EPIPE stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = hideBin(process.argv);
// `tripletkit` alone: the help, as most CLIs do, rather than a usage error.
if (args.length === 0) buildCli(['--help']).parse();
else await buildCli(args).parseAsync();
