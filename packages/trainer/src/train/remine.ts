/**
 * Re-mining (offline mode, `remineEvery`): every E epochs the training set is embedded with the current model and
 * mined again with the triplets file's strategy and margin, so the triplets stay hard as the model improves.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '@tripletkit/common';
import { mine } from '@tripletkit/miner';
import type { ImageSet } from '../data/imageSet.ts';
import type { Normalization } from '../data/pixels.ts';
import type { TripletList } from '../data/tripletsFile.ts';
import { embedSet } from './evaluate.ts';
import type { TrainRun } from './setup.ts';

/**
 * Re-mines at the start of `epoch` when it is due, replacing the run's triplets (kept for the checkpoints too).
 *
 * @example
 * remineIfDue(run, 4); // with remineEvery 2: mines again before the fifth epoch
 */
export function remineIfDue(run: TrainRun, epoch: number): void {
  const every = run.options.remineEvery;
  if (!run.triplets || !every || epoch === 0 || epoch % every !== 0 || run.state.step !== 0) return;
  const { model, trainSet, normalization, o } = run;
  run.triplets = remine(model, trainSet, normalization, run.triplets, o.margin, o.seed, epoch);
  run.remined = run.triplets;
  run.state.remined = true;
  run.log(`epoch ${epoch + 1}: re-mined ${run.triplets.anchors.length} triplets with the current model`);
}

/** Embeds the training set with the current model and mines again with the triplets file's strategy and margin. */
function remine(
  model: tfl.LayersModel,
  set: ImageSet,
  norm: Normalization,
  previous: TripletList,
  margin: number,
  seed: number,
  epoch: number,
): TripletList {
  const dim = model.outputs[0].shape[1] as number;
  const emb = embedSet(model, set, norm);
  const strategy = (previous.strategy ?? 'semi-hard') as 'all' | 'hard' | 'semi-hard' | 'easy' | 'batch-hard';
  // Keep the triplet count comparable to the original file (an uncapped "all" can be quadratic in the rows).
  const perAnchor = Math.max(1, Math.ceil(previous.anchors.length / set.rows));
  const t = mine(emb, dim, set.labels, {
    strategy,
    margin: previous.margin ?? margin,
    maxPerAnchor: perAnchor,
    seed: deriveSeed(seed, epoch, 3),
  });
  if (t.anchors.length === 0) return previous;
  return { anchors: t.anchors, positives: t.positives, negatives: t.negatives, strategy, margin: previous.margin };
}
