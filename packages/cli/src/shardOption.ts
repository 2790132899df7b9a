/**
 * `--shard i/n | auto` and `--shards N`, shared by load, embed and mine. With `auto` the shard comes from the
 * scheduler that started the process (see @tripletkit/common resolveShard) and the output becomes
 * `NAME-part-iiiii-of-nnnnn.arrow`, so one command line serves every task of an array job; the line saying which
 * scheduler was used goes to stderr.
 */
// The light subpaths, not the package index (which loads apache-arrow): --help must stay fast.
import { partPath } from '@tripletkit/common/parts';
import { resolveShard, type Shard } from '@tripletkit/common/shard';
import type { Options } from 'yargs';

/** The two options, for a command's `options`. */
export function shardOptions(what: string): Record<string, Options> {
  return {
    shard: {
      type: 'string',
      describe: `Process shard i of n of the ${what} (e.g. 2/8), or auto: take i and n from a Kubernetes Indexed Job, Slurm job array or AWS Batch array job and write NAME-part-iiiii-of-nnnnn.arrow`,
    },
    shards: {
      type: 'number',
      describe:
        'Shard count for --shard auto where the scheduler does not export it (Kubernetes: the job’s completions)',
    },
  };
}

/**
 * The shard and the output to write.
 *
 * @example
 * const { shard, output } = shardFor({ shard: 'auto', shards: 4 }, 'emb.arrow'); // JOB_COMPLETION_INDEX=1 → emb-part-00001-of-00004.arrow
 */
export function shardFor(
  args: { shard?: string; shards?: number },
  output: string,
): { shard?: { index: number; count: number }; output: string; from?: string } {
  const s: Shard | undefined = resolveShard(args.shard, args.shards);
  if (!s) return { output };
  const auto = args.shard?.trim() === 'auto';
  const out = auto ? partPath(output, s.index, s.count) : output;
  if (auto) process.stderr.write(`tripletkit: shard ${s.index}/${s.count} from ${s.source} → ${out}\n`);
  return { shard: { index: s.index, count: s.count }, output: out, from: s.source };
}
