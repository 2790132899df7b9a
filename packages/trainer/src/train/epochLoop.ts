/**
 * The epoch loop of {@link train}: the epoch's batch plan (offline triplets or online P×K, shared out among the
 * workers), its steps with progress, step log and Ctrl-C handling, then validation P@1, the best model and the
 * epoch's checkpoint. A resumed run continues at `state.step` of `state.epoch`.
 */
import { createProgress, deriveSeed } from '@tripletkit/common';
import { BatchPrefetcher } from '../data/batchPrefetcher.ts';
import { augmentPixels } from '../data/pixels.ts';
import { offlineEpoch, onlineEpoch, type PlannedBatch, splitOffline } from './batches.ts';
import { checkpointAfterEpoch, checkpointOnInterrupt, expectFiniteWeights, saveBestModel } from './checkpointHooks.ts';
import type { StepInput } from './computeStep.ts';
import { precisionAt1 } from './evaluate.ts';
import { remineIfDue } from './remine.ts';
import type { TrainRun } from './setup.ts';
import type { EpochLog, StepLog } from './trainOptions.ts';
import { trainStep } from './trainStep.ts';

/** One epoch's result: its log entry and the images it trained on. */
export interface EpochOutcome {
  entry: EpochLog;
  images: number;
}

/**
 * Runs epoch `run.state.epoch` from batch `run.state.step` to the end; `writeLog` appends a train.jsonl line.
 *
 * @example
 * for (; run.state.epoch < run.o.epochs; run.state.epoch++, run.state.step = 0) await runEpoch(run, writeLog);
 */
export async function runEpoch(run: TrainRun, writeLog: (entry: object) => void): Promise<EpochOutcome> {
  const { options, o, state, trainSet, engine } = run;
  const epoch = state.epoch;
  remineIfDue(run, epoch);
  const plan = planEpoch(run, epoch);
  const bar = createProgress({
    label: `epoch ${epoch + 1}/${o.epochs}`,
    total: plan.length,
    unit: 'batches',
    progress: options.progress,
  });
  const t0 = performance.now();
  let lossTotal = 0;
  let activeTotal = 0;
  let countTotal = 0;
  let images = 0;
  let stepsRun = 0;
  // Reads (and augments) the next steps' rows in the background while a step computes (bounded: 2 steps ahead).
  const augment = options.augment;
  const ahead = new BatchPrefetcher(
    trainSet,
    plan.map((parts) => parts.map((b) => b.rows)),
    augment &&
      ((pixels, step, part) => {
        const seed = deriveSeed(o.seed, epoch, step, part, 2);
        augmentPixels(pixels, plan[step][part].rows.length, trainSet.shape, augment, seed);
      }),
  );
  const prepare = async (step: number): Promise<StepInput[]> => {
    const pixels = await ahead.take(step);
    return plan[step].map((b, part) => ({
      pixels: pixels[part],
      rows: b.rows.length,
      triplets: b.triplets,
      labels: b.labels,
    }));
  };
  let inputs = state.step < plan.length ? await prepare(state.step) : [];
  for (; state.step < plan.length; state.step++) {
    // One event-loop turn per step: without workers a step never awaits, and a signal (Ctrl-C, SIGTERM) would
    // only be seen at the end of the epoch.
    if (!engine) await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      bar.finish();
      throw await checkpointOnInterrupt(run, epoch);
    }
    const ts = performance.now();
    const stepImages = inputs.reduce((n, x) => n + x.rows, 0);
    const next = state.step + 1;
    const r = await trainStep(run, inputs, () => (next < plan.length ? prepare(next) : Promise.resolve([])), epoch);
    inputs = r.next;
    const secs = (performance.now() - ts) / 1000;
    lossTotal += r.loss;
    activeTotal += r.active;
    countTotal += r.count;
    images += stepImages;
    stepsRun++;
    state.globalStep++;
    const entry: StepLog = {
      type: 'step',
      epoch: epoch + 1,
      step: state.step + 1,
      loss: r.loss,
      activeFraction: r.count ? r.active / r.count : 0,
      triplets: r.count,
      imagesPerSecond: stepImages / secs,
    };
    writeLog(entry);
    options.onStep?.(entry);
    bar.tick();
    bar.note(`loss ${r.loss.toFixed(4)}`);
  }
  bar.finish();
  await expectFiniteWeights(run, epoch);
  const seconds = (performance.now() - t0) / 1000;
  const p1 = run.valSet ? precisionAt1(run.model, run.valSet, run.normalization) : null;
  const best = p1 === null || state.bestPrecisionAt1 === null || p1 > state.bestPrecisionAt1;
  if (p1 !== null && best) state.bestPrecisionAt1 = p1;
  const entry: EpochLog = {
    type: 'epoch',
    epoch: epoch + 1,
    // Averaged over the steps this run did (a resumed epoch's first steps were logged by the run before).
    loss: stepsRun ? lossTotal / stepsRun : 0,
    activeFraction: countTotal ? activeTotal / countTotal : 0,
    imagesPerSecond: images / seconds,
    precisionAt1: p1,
    best,
    seconds,
  };
  if (best) await saveBestModel(run, epoch, p1);
  writeLog(entry);
  options.onEpoch?.(entry);
  run.log(
    `epoch ${epoch + 1}/${o.epochs}: loss ${entry.loss.toFixed(4)}, active ${(entry.activeFraction * 100).toFixed(1)}%` +
      `${p1 === null ? '' : `, val P@1 ${p1.toFixed(4)}${best ? ' (best)' : ''}`}, ${entry.imagesPerSecond.toFixed(0)} images/s`,
  );
  await checkpointAfterEpoch(run, epoch, plan.length);
  return { entry, images };
}

/** The epoch's steps: one batch per worker (online) or one batch shared out among the workers (offline). */
function planEpoch(run: TrainRun, epoch: number): PlannedBatch[][] {
  const { triplets, o, workers } = run;
  const batches: PlannedBatch[] = triplets
    ? offlineEpoch(triplets, o.batchSize, o.seed, epoch)
    : onlineEpoch(run.trainSet.labels, run.p, run.k, o.seed, epoch);
  let plan: PlannedBatch[][] = [];
  if (triplets) plan = batches.map((b) => splitOffline(b, workers));
  else for (let i = 0; i < batches.length; i += workers) plan.push(batches.slice(i, i + workers));
  if (run.options.stepsPerEpoch) plan = plan.slice(0, run.options.stepsPerEpoch);
  return plan;
}
