/** Dispatches an {@link ImageSource} to its reader. */
import { invalidArgument } from '@tripletkit/common';
import type { ImageSource } from '../types.ts';
import type { ResolvedSource } from './imageItem.ts';
import { listFolder } from './listFolder.ts';
import { readIdx } from './readIdx.ts';
import { readManifest } from './readManifest.ts';
import { readPairs } from './readPairs.ts';

/**
 * @example
 * const src = await resolveSource({ folder: 'data/train' });
 */
export async function resolveSource(source: ImageSource): Promise<ResolvedSource> {
  if (source && typeof source === 'object') {
    if ('folder' in source && typeof source.folder === 'string') return listFolder(source.folder);
    if ('manifest' in source && typeof source.manifest === 'string') return readManifest(source.manifest);
    if ('pairs' in source && typeof source.pairs === 'string') return readPairs(source.pairs);
    if ('idx' in source && source.idx && typeof source.idx.images === 'string') {
      return readIdx(source.idx.images, source.idx.labels);
    }
  }
  return invalidArgument('source', '{ folder }, { manifest }, { pairs } or { idx: { images, labels } }', source);
}
