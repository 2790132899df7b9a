import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ArrowFormat } from '@tripletkit/common';
import { IMAGES_META } from '@tripletkit/common/formats';
import { type BadFile, openImages } from '@tripletkit/loader';
import { readEmbeddings } from '@tripletkit/miner';
import { type BackendChoice, selectBackend } from '../backend/selectBackend.ts';
import { embedImages } from '../embed/embedImages.ts';
import { type Features, resolveFeatures } from '../model/backboneModel.ts';
import { buildIndexOptionSpecs } from './buildIndexOptionSpecs.ts';
import { writeIndex } from './indexFile.ts';
import { loadModelWithIdentity } from './modelIdentity.ts';
import { type Preprocessing, preprocessingOf } from './preprocessing.ts';
import { prepareImages } from './queryImages.ts';

/** Options of {@link buildIndex}. */
export interface BuildIndexOptions {
  /** Model directory (tripletkit train output). */
  model: string;
  /** Gallery: an images file, a folder (class subfolders or loose images) or image files. */
  images: string | string[];
  /** Index file to write. */
  output: string;
  backend?: BackendChoice;
  /** Representation (default `auto`: backbone features when the gallery holds only classes the model never saw). */
  features?: Features;
  format?: ArrowFormat;
}

/** What {@link buildIndex} wrote. */
export interface BuildIndexResult {
  output: string;
  rows: number;
  dim: number;
  /** Classes present in the gallery. */
  classes: string[];
  model: { path: string; sha256: string };
  preprocessing: Preprocessing;
  features: 'embedding' | 'backbone';
  skipped: BadFile[];
  seconds: number;
}

/**
 * The model's preprocessing: what it records (tripletkit train stores the training images' fit and kernel), else its
 * input shape with the loader's defaults.
 */
export function modelPreprocessing(metadata: Record<string, unknown> | undefined, inputShape: (number | null)[]) {
  const stored = metadata?.preprocessing as Partial<Preprocessing> | undefined;
  const [h, w, c] = (metadata?.inputShape as number[] | undefined) ?? inputShape.slice(1);
  return preprocessingOf({
    [IMAGES_META.height]: String(stored?.height ?? h),
    [IMAGES_META.width]: String(stored?.width ?? w),
    [IMAGES_META.channels]: String(stored?.channels ?? c),
    [IMAGES_META.fit]: stored?.fit ?? 'cover',
    [IMAGES_META.kernel]: stored?.kernel ?? 'linear',
  });
}

/**
 * Embeds a gallery with a model into a search index (embeddings, labels, paths, classes, the model's path and digest,
 * and the preprocessing queries must get). Folders and image files are loaded exactly as the model expects.
 *
 * @example
 * await buildIndex({ model: 'runs/digits', images: 'gallery.arrow', output: 'gallery.idx.arrow' });
 */
export async function buildIndex(options: BuildIndexOptions): Promise<BuildIndexResult> {
  const t0 = performance.now();
  // Loading a model needs a backend registered first.
  await selectBackend(options.backend);
  const { model, metadata, identity } = await loadModelWithIdentity(options.model);
  const prep = modelPreprocessing(metadata, model.inputs[0].shape);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tripletkit-index-'));
  try {
    const images = await prepareImages([options.images].flat(), prep, tmp);
    const gallery = await openImages(images.file);
    const galleryLabels = await gallery.labels();
    const atHand = [...new Set(galleryLabels)].map((l) => gallery.classes[l] ?? String(l));
    await gallery.close();
    const trained = metadata?.trainedClasses as string[] | undefined;
    const features = resolveFeatures(
      options.features ?? buildIndexOptionSpecs.features.default,
      images.labelled ? trained : undefined,
      atHand,
    );
    const embFile = path.join(tmp, 'gallery-embeddings.arrow');
    await embedImages(model, images.file, embFile, {
      backend: options.backend,
      features,
      ...(metadata?.normalization ? { normalization: metadata.normalization } : {}),
    });
    const e = await readEmbeddings(embFile);
    const opened = await openImages(images.file);
    const paths = await opened.paths();
    const classes = opened.classes;
    await opened.close();
    const present = [...new Set(e.labels)].sort((a, b) => a - b).map((l) => classes[l] ?? String(l));
    await writeIndex(
      options.output,
      {
        embeddings: e.embeddings,
        dim: e.dim,
        labels: e.labels,
        paths,
        classes,
        model: identity,
        preprocessing: prep,
        features,
      },
      options.format,
    );
    return {
      output: options.output,
      rows: e.rows,
      dim: e.dim,
      classes: present,
      model: identity,
      preprocessing: prep,
      features,
      skipped: images.skipped,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
