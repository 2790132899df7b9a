/**
 * Which shard this process is: `i/n` as given, or `auto` — read from the scheduler that started the process
 * (Kubernetes Indexed Jobs, Slurm job arrays, AWS Batch array jobs), so one command line serves every task.
 */
import { TripletkitError } from './errors.ts';
import { invalidArgument } from './validate.ts';

/** A shard: `index` of `count` (0-based), and where it came from. */
export interface Shard {
  index: number;
  count: number;
  /** `--shard i/n`, or the scheduler and variables `auto` used. */
  source: string;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new TripletkitError('E_ARG', `--shard auto: ${name}=${v} is not a non-negative integer.`, {
      hint: 'The scheduler sets it; check the job definition.',
    });
  }
  return n;
}

/** The shard the scheduler's variables describe, or undefined when none are set. */
function fromScheduler(env: Env, shards: number | undefined): Shard | undefined {
  const k8s = int(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    if (shards === undefined) {
      throw new TripletkitError(
        'E_ARG',
        '--shard auto found a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) but no shard count.',
        { hint: 'Add --shards N with N = the job’s spec.completions.' },
      );
    }
    return {
      index: k8s,
      count: shards,
      source: `Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${k8s}, --shards ${shards})`,
    };
  }
  const slurm = int(env, 'SLURM_ARRAY_TASK_ID');
  if (slurm !== undefined) {
    const min = int(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const count = shards ?? int(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined) {
      throw new TripletkitError('E_ARG', '--shard auto found a Slurm array task but no SLURM_ARRAY_TASK_COUNT.', {
        hint: 'Add --shards N (the array size).',
      });
    }
    return {
      index: slurm - min,
      count,
      source: `Slurm job array (SLURM_ARRAY_TASK_ID=${slurm}, _MIN=${min}, ${shards === undefined ? `_COUNT=${count}` : `--shards ${count}`})`,
    };
  }
  const aws = int(env, 'AWS_BATCH_JOB_ARRAY_INDEX');
  if (aws !== undefined) {
    const count = shards ?? int(env, 'AWS_BATCH_JOB_ARRAY_SIZE');
    if (count === undefined) {
      throw new TripletkitError('E_ARG', '--shard auto found an AWS Batch array job but no AWS_BATCH_JOB_ARRAY_SIZE.', {
        hint: 'Add --shards N (the array size).',
      });
    }
    return {
      index: aws,
      count,
      source: `AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX=${aws}, ${shards === undefined ? `_SIZE=${count}` : `--shards ${count}`})`,
    };
  }
  return undefined;
}

/**
 * `--shard` as given (`i/n` or `auto`; undefined = no sharding), with `--shards N` for schedulers that do not export
 * the count (Kubernetes). Slurm array ids need not start at 0 (index = TASK_ID − TASK_MIN) but must be contiguous.
 *
 * @example
 * resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' }); // { index: 3, count: 8, … }
 * resolveShard('2/4'); // { index: 2, count: 4, source: '--shard 2/4' }
 */
export function resolveShard(spec: string | undefined, shards?: number, env: Env = process.env): Shard | undefined {
  if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1)) {
    invalidArgument('--shards', 'positive integer', shards);
  }
  if (spec === undefined) {
    if (shards !== undefined) {
      invalidArgument('--shards', 'no value without --shard auto', shards, 'Add --shard auto, or drop --shards.');
    }
    return undefined;
  }
  let shard: Shard | undefined;
  if (spec.trim() === 'auto') {
    shard = fromScheduler(env, shards);
    if (!shard) {
      throw new TripletkitError(
        'E_ARG',
        '--shard auto found no array-job variables (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX).',
        {
          hint: 'Run it as a Kubernetes Indexed Job, a Slurm job array or an AWS Batch array job, or give --shard i/n.',
        },
      );
    }
  } else {
    const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
    const index = m ? Number(m[1]) : Number.NaN;
    const count = m ? Number(m[2]) : Number.NaN;
    if (!m || count < 1 || index >= count) {
      invalidArgument(
        '--shard',
        'i/n with 0 ≤ i < n (e.g. 0/4), or auto',
        spec,
        'Give the shard as index/count, e.g. --shard 2/8.',
      );
    }
    if (shards !== undefined) invalidArgument('--shards', 'no value with --shard i/n', shards, 'Drop --shards.');
    return { index, count, source: `--shard ${index}/${count}` };
  }
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    throw new TripletkitError(
      'E_ARG',
      `--shard auto: ${shard.source} gives shard ${shard.index} of ${shard.count}, which does not exist.`,
      {
        hint: 'The index must be below the count: check the array range (contiguous, from its minimum) and --shards.',
      },
    );
  }
  return shard;
}
