/**
 * Checkpoints: the model, the optimizer's state (Adam's moments, step count and running β powers) and the position in training, so that
 * `--resume` continues exactly as if training had not stopped (every random choice derives from (seed, epoch, step)).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fsError, TripletkitError, writeAtomic } from '@tripletkit/common';
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
  await writeAtomic(dir, async (tmp) => {
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
  });
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
