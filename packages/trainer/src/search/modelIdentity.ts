import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError } from '@tripletkit/common';
import { loadModel, type ModelMetadata } from '../model/modelIO.ts';

/** Which model made an index: where it was, and a digest of its files (so a retrained model is noticed). */
export interface ModelIdentity {
  /** Absolute path of the model directory. */
  path: string;
  /** sha256 of model.json followed by every weights file it names. */
  sha256: string;
}

/** The directory holding model.json, as loadModel finds it (a run directory holds it in model/). */
async function modelDir(location: string): Promise<string> {
  if (location.endsWith('.json')) return path.dirname(path.resolve(location));
  const nested = path.join(location, 'model');
  const top = await fs.stat(path.join(location, 'model.json')).catch(() => undefined);
  if (!top && (await fs.stat(path.join(nested, 'model.json')).catch(() => undefined))) return path.resolve(nested);
  return path.resolve(location);
}

/**
 * Loads a model with its identity.
 *
 * @example
 * const { model, metadata, identity } = await loadModelWithIdentity('runs/digits');
 */
export async function loadModelWithIdentity(location: string) {
  const loaded = await loadModel(location);
  const dir = await modelDir(location);
  const hash = createHash('sha256');
  const jsonPath = path.join(dir, 'model.json');
  try {
    const json = await fs.readFile(jsonPath);
    hash.update(json);
    const manifest = JSON.parse(json.toString('utf8')).weightsManifest as { paths: string[] }[];
    for (const group of manifest) for (const p of group.paths) hash.update(await fs.readFile(path.join(dir, p)));
  } catch (err) {
    throw fsError(err, jsonPath, 'model file');
  }
  const identity: ModelIdentity = { path: dir, sha256: hash.digest('hex') };
  return { ...loaded, metadata: loaded.metadata as ModelMetadata | undefined, identity };
}
