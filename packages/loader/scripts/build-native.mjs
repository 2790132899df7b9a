#!/usr/bin/env node
// Compiles the loader's optional native helpers (native/src/jpeg.c → native/build/tripletkit_loader.node): JPEG
// decoding at a reduced DCT scale with the system libjpeg(-turbo), and the resampler in C (the exact float64
// operations of resizeRaw.ts). Run by the package's `build` script, hence by `pnpm install`; never fails it (see
// ../../../scripts/build-addon.mjs). Without it the loader uses sharp and its TypeScript resampler (same pixels for
// the resampler; JPEGs then go through sharp).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon } from '../../../scripts/build-addon.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

buildAddon({
  label: 'tripletkit loader native helpers',
  fallback: 'using sharp',
  sources: [path.join(root, 'native', 'src', 'jpeg.c')],
  target: path.join(root, 'native', 'build', 'tripletkit_loader.node'),
  libs: ['-ljpeg'],
  // With zlib (PNG inflate without per-image allocations) when its headers are there; else without it.
  variants: [{ flags: ['-DTK_ZLIB'], libs: ['-lz'], label: ' (with zlib)' }, { label: '' }],
});
