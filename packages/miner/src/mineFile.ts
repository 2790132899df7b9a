/**
 * `tripletkit mine` as one library call: read an embeddings file (and optionally a reference file), mine with the
 * streaming core, write the triplets file atomically, and return a summary.
 */
import {
  type ArrowFormat,
  checkOutput,
  createProgress,
  expectNonNegativeInteger,
  expectString,
  type ProgressOption,
  TripletkitError,
} from '@tripletkit/common';
import { encodeSource, TRIPLETS_META } from '@tripletkit/common/formats';
import { checkOutputRoom, tripletBound } from './checkOutputRoom.ts';
import { resolveOptions } from './core/resolveOptions.ts';
import type { MineOptions } from './core/types.ts';
import { kernelInfo } from './distances/index.ts';
import { readEmbeddings } from './io/readEmbeddings.ts';
import { writeTripletBlocks } from './io/tripletFileWriter.ts';
import { minePending, shardRange } from './mine.ts';
import { DEFAULT_MARGIN } from './mineFileOptionSpecs.ts';

/** Options of {@link mineFile}: the mining options plus files. */
export interface MineFileOptions extends Omit<MineOptions, 'reference' | 'onProgress'> {
  /** Embeddings file to mine (anchors, and candidates unless `reference` is given). */
  embeddings: string;
  /** Output triplets file. */
  output: string;
  /** Candidates (positives and negatives) from this file instead (PML ref_emb). */
  reference?: string;
  /** Arrow IPC flavour of the output (default `file`). */
  format?: ArrowFormat;
  embeddingColumn?: string;
  labelColumn?: string;
  /** Progress on stderr (true, default: a bar on a terminal, plain lines elsewhere), none (false), or a callback. */
  progress?: ProgressOption;
}

/** What {@link mineFile} did. */
export interface MineFileResult {
  output: string;
  triplets: number;
  /** Anchors mined (this shard's, with --shard). */
  anchors: number;
  anchorsWithoutPositive: number;
  anchorsWithoutNegative: number;
  /** Classes with a single row in the embeddings file: their anchors have no positive (reported, not fatal). */
  singleSampleClasses: number;
  classes: number;
  rows: number;
  referenceRows?: number;
  dim: number;
  strategy: string;
  margin: number;
  distance: string;
  normalize: boolean;
  seconds: number;
  tripletsPerSecond: number;
  kernel: string;
}

/**
 * @example
 * const r = await mineFile({ embeddings: 'emb.arrow', output: 'mined.arrow', strategy: 'semi-hard' });
 * console.log(r.triplets, r.tripletsPerSecond);
 */
export async function mineFile(options: MineFileOptions): Promise<MineFileResult> {
  const start = performance.now();
  const embPath = expectString('embeddings', options.embeddings);
  const output = expectString('output', options.output);
  // Every option checked before any input is read (mine() checks them again, cheaply).
  resolveOptions({ ...options, reference: undefined });
  if (options.workers !== undefined) expectNonNegativeInteger('workers', options.workers);
  await checkOutput(output, 'output file');
  const labelMap = new Map<string, number>();
  const cols = { embeddingColumn: options.embeddingColumn, labelColumn: options.labelColumn, labelMap };
  const emb = await readEmbeddings(embPath, cols);
  const ref = options.reference
    ? await readEmbeddings(options.reference, { ...cols, what: 'reference file' })
    : undefined;
  if (ref && ref.dim !== emb.dim) {
    throw new TripletkitError(
      'E_SCHEMA',
      `The reference file ${ref.path} has ${ref.dim}-dimensional embeddings but ${emb.path} has ${emb.dim}.`,
      { hint: 'Mine embeddings from the same model against each other.' },
    );
  }
  if (ref && ref.labelKind !== emb.labelKind) {
    throw new TripletkitError(
      'E_SCHEMA',
      `The labels of ${emb.path} are ${emb.labelKind}s but those of ${ref.path} are ${ref.labelKind}s.`,
      { hint: 'Use the same label type (class ids or class names) in both files.' },
    );
  }

  // Class statistics: at least two classes overall; single-sample classes are only reported.
  const counts = new Map<number, number>();
  for (const l of emb.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const refCounts = new Map<number, number>();
  for (const l of ref?.labels ?? []) refCounts.set(l, (refCounts.get(l) ?? 0) + 1);
  const classes = new Set([...counts.keys(), ...refCounts.keys()]);
  if (classes.size < 2) {
    const only = emb.labelKind === 'string' ? [...labelMap.keys()][0] : [...classes][0];
    throw new TripletkitError(
      'E_DATA',
      `${ref ? `${emb.path} and ${ref.path} have` : `${emb.path} has`} only one class (label ${only}); triplets need at least two.`,
      { hint: 'Mine a file with two or more classes.' },
    );
  }
  let singleSampleClasses = 0;
  for (const c of counts.values()) if (c === 1) singleSampleClasses++;

  const mineOptions: MineOptions = {
    ...options,
    reference: ref ? { embeddings: ref.embeddings, labels: ref.labels } : undefined,
  };
  const [a0, a1] = options.shard ? shardRange(emb.rows, options.shard.index, options.shard.count) : [0, emb.rows];
  const nC = ref ? ref.rows : emb.rows;
  let anchorsWithoutPositive = 0;
  let anchorsWithoutNegative = 0;
  let bound = 0;
  for (let a = a0; a < a1; a++) {
    const l = emb.labels[a];
    const same = ref ? (refCounts.get(l) ?? 0) : (counts.get(l) ?? 0) - 1;
    const negatives = nC - same - (ref ? 0 : 1);
    if (same === 0) anchorsWithoutPositive++;
    if (negatives === 0) anchorsWithoutNegative++;
    bound += tripletBound(same, negatives, options);
  }

  // Refuse an output the disk cannot hold before writing any of it (an untrained model's uncapped triplets).
  let countBar: ReturnType<typeof createProgress> | undefined;
  try {
    await checkOutputRoom(
      output,
      bound,
      a1 - a0,
      (s) => minePending(emb.embeddings, emb.dim, emb.labels, { ...mineOptions, ...s }),
      {
        workers: options.workers,
        onCount: (done) => {
          countBar ??= createProgress({ label: 'count', total: a1 - a0, unit: 'anchors', progress: options.progress });
          countBar.update(done);
        },
      },
    );
  } finally {
    countBar?.finish();
  }

  const bar = createProgress({
    label: 'mine',
    total: a1 - a0,
    unit: 'anchors',
    progress: options.progress,
  });
  mineOptions.onProgress = (done) => bar.update(done);
  const strategy = options.strategy ?? 'all';
  const margin = options.margin ?? DEFAULT_MARGIN;
  const distance = options.distance ?? 'euclidean';
  const normalize = options.normalize ?? true;
  const metadata: Record<string, string> = {
    [TRIPLETS_META.strategy]: strategy,
    [TRIPLETS_META.margin]: String(margin),
    [TRIPLETS_META.distance]: distance,
    [TRIPLETS_META.normalize]: String(normalize),
    [TRIPLETS_META.source]: encodeSource(emb.path, emb.rows),
    // Kernels round differently (distances, hence borderline triplets): record which one computed them.
    [TRIPLETS_META.kernel]: kernelInfo().kernel,
  };
  if (ref) metadata[TRIPLETS_META.reference] = encodeSource(ref.path, ref.rows);
  if (options.maxPerAnchor) metadata[TRIPLETS_META.maxPerAnchor] = String(options.maxPerAnchor);
  if (options.negativesPerPair) {
    metadata[TRIPLETS_META.negativesPerPair] = String(options.negativesPerPair);
    metadata[TRIPLETS_META.pick] = options.pick ?? 'hardest';
  }
  if (options.maxPerAnchor || options.negativesPerPair) metadata[TRIPLETS_META.seed] = String(options.seed ?? 0);
  if (options.shard) metadata[TRIPLETS_META.shard] = `${options.shard.index}/${options.shard.count}`;
  let written: { rows: number };
  try {
    // Blocks are counted, then expanded chunk by chunk into the file: no block's triplets are ever held whole.
    written = await writeTripletBlocks(
      output,
      minePending(emb.embeddings, emb.dim, emb.labels, mineOptions),
      metadata,
      { format: options.format },
    );
  } finally {
    bar.finish();
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    output,
    triplets: written.rows,
    anchors: a1 - a0,
    anchorsWithoutPositive,
    anchorsWithoutNegative,
    singleSampleClasses,
    classes: classes.size,
    rows: emb.rows,
    referenceRows: ref?.rows,
    dim: emb.dim,
    strategy,
    margin,
    distance,
    normalize,
    seconds,
    tripletsPerSecond: written.rows / Math.max(seconds, 1e-9),
    kernel: kernelInfo().kernel,
  };
}
