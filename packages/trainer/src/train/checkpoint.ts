/**
 * Checkpoints: the model, the optimizer's state (Adam's moments, step count and running β powers) and the position in training, so that
 * `--resume` continues exactly as if training had not stopped (every random choice derives from (seed, epoch, step)).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fsError, TripletkitError, tempPathFor, writeAtomic } from '@tripletkit/common';
import { loadModel, type ModelMetadata, saveModel } from '../model/modelIO.ts';
import type { Adam } from './adam.ts';

/** Where training stands. */
export interface TrainState {
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Batches of that epoch already done. */
  step: number;
  globalStep: number;
  bestPrecisionAt1: number | null;
  /** Options that must match on resume (mode, batch layout, seed, workers). */
  fingerprint: string;
  /** Triplets re-mined by --remine-every (offline), saved beside the checkpoint. */
  remined: boolean;
}

/**
 * @example
 * await saveCheckpoint('run/checkpoint', model, optimizer, metadata, state, remined);
 */
export async function saveCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizer: Adam,
  metadata: ModelMetadata,
  state: TrainState,
  remined?: { anchors: Int32Array; positives: Int32Array; negatives: Int32Array },
): Promise<void> {
  const weights = await optimizer.getWeights();
  const specs = weights.map((w) => ({ name: w.name, shape: w.tensor.shape, dtype: w.tensor.dtype }));
  const data = weights.map((w) => Float32Array.from(w.tensor.dataSync()));
  const bytes = data.reduce((s, d) => s + d.byteLength, 0);
  const buf = new Uint8Array(bytes);
  let o = 0;
  for (const d of data) {
    buf.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), o);
    o += d.byteLength;
  }
  // Each checkpoint is a new generation folder (<out>/checkpoints/000007), complete and fsynced before it gets its
  // name; then the <out>/checkpoint symbolic link is swapped to it with one atomic rename. A kill at any moment leaves
  // the previous checkpoint, or the new one, whole.
  const gens = generationsDir(dir);
  await fs.mkdir(gens, { recursive: true });
  let n = (await generations(gens))[0] ?? 0;
  const legacy = await fs.lstat(dir).catch(() => undefined);
  if (legacy?.isDirectory()) await fs.rename(dir, path.join(gens, genName(++n))); // a checkpoint/ folder of old
  const name = genName(n + 1);
  await writeAtomic(path.join(gens, name), async (tmp) => {
    await saveModel(model, path.join(tmp, 'model'), metadata);
    await fs.writeFile(path.join(tmp, 'optimizer.json'), JSON.stringify(specs));
    await fs.writeFile(path.join(tmp, 'optimizer.bin'), buf);
    if (remined) {
      const t = new Int32Array(remined.anchors.length * 3);
      t.set(remined.anchors, 0);
      t.set(remined.positives, remined.anchors.length);
      t.set(remined.negatives, 2 * remined.anchors.length);
      await fs.writeFile(path.join(tmp, 'triplets.bin'), new Uint8Array(t.buffer));
    }
    await fs.writeFile(path.join(tmp, 'state.json'), JSON.stringify(state, null, 1));
    await fsyncTree(tmp);
  });
  await fsyncPath(gens);
  const link = tempPathFor(dir);
  await fs.symlink(path.join(path.basename(gens), name), link);
  await fs.rename(link, dir);
  await fsyncPath(path.dirname(dir));
  // Keep the previous generation too (one step back); older ones go.
  for (const old of (await generations(gens)).slice(2)) {
    await fs.rm(path.join(gens, genName(old)), { recursive: true, force: true });
  }
}

/** `<out>/checkpoints` for `<out>/checkpoint`. */
const generationsDir = (dir: string) => `${dir}s`;
const genName = (n: number) => String(n).padStart(6, '0');

/** Generation numbers present (complete ones: temp names never match), newest first. */
async function generations(gens: string): Promise<number[]> {
  const names = await fs.readdir(gens).catch(() => [] as string[]);
  return names
    .filter((n) => /^\d{6,}$/.test(n))
    .map(Number)
    .sort((a, b) => b - a);
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync every file and folder under `dir`, so a power cut after the rename cannot leave empty files behind it. */
async function fsyncTree(dir: string): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await fsyncTree(p);
    else await fsyncPath(p);
  }
  await fsyncPath(dir);
}

/** A checkpoint read back. */
export interface Checkpoint {
  model: tfl.LayersModel;
  metadata: ModelMetadata | undefined;
  optimizerWeights: { name: string; tensor: tf.Tensor }[];
  state: TrainState;
  remined?: { anchors: Int32Array; positives: Int32Array; negatives: Int32Array };
}

/**
 * @example
 * const ck = await loadCheckpoint('run/checkpoint');
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  // The newest complete generation, whatever the link says (a kill may have come between the two steps).
  for (const n of await generations(generationsDir(dir))) {
    const gen = path.join(generationsDir(dir), genName(n));
    const ok = await fs
      .readFile(path.join(gen, 'state.json'), 'utf8')
      .then((t) => {
        JSON.parse(t);
        return true;
      })
      .catch(() => false);
    if (ok) return loadFrom(gen);
  }
  return loadFrom(dir);
}

async function loadFrom(dir: string): Promise<Checkpoint> {
  let state: TrainState;
  try {
    state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
  } catch (err) {
    const e = fsError(err, path.join(dir, 'state.json'), 'checkpoint');
    if (e instanceof TripletkitError) {
      throw new TripletkitError(e.code, `${e.message} Nothing to resume from.`, {
        hint: 'Train without --resume first (a checkpoint is written after every epoch and on Ctrl-C).',
      });
    }
    throw e;
  }
  const { model, metadata } = await loadModel(path.join(dir, 'model'));
  const specs: { name: string; shape: number[]; dtype: tf.DataType }[] = JSON.parse(
    await fs.readFile(path.join(dir, 'optimizer.json'), 'utf8'),
  );
  const raw = await fs.readFile(path.join(dir, 'optimizer.bin'));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let o = 0;
  const optimizerWeights = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = all.subarray(o, o + n);
    const t = s.dtype === 'int32' ? tf.tensor(Int32Array.from(v), s.shape, 'int32') : tf.tensor(v, s.shape, 'float32');
    o += n;
    return { name: s.name, tensor: t };
  });
  let remined: Checkpoint['remined'];
  if (state.remined) {
    const b = await fs.readFile(path.join(dir, 'triplets.bin'));
    const t = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const n = t.length / 3;
    remined = { anchors: t.slice(0, n), positives: t.slice(n, 2 * n), negatives: t.slice(2 * n) };
  }
  return { model, metadata, optimizerWeights, state, remined };
}
