#!/usr/bin/env node
// Compiles the loader's optional native helpers (native/src/jpeg.c → native/build/tripletkit_loader.node): JPEG
// decoding at a reduced DCT scale with the system libjpeg(-turbo), and the resampler in C (the exact float64
// operations of resizeRaw.ts). Run by the package's `build` script, hence by `pnpm install`; never fails it (see
// @tripletkit/common/build-addon). Without it the loader uses sharp and its TypeScript resampler (same pixels for
// the resampler; JPEGs then go through sharp).
import path from 'node:path';
import { buildAddon, packageRoot } from '@tripletkit/common/build-addon';

const root = packageRoot(import.meta.url);

buildAddon({
  label: 'tripletkit loader native helpers',
  fallback: 'using sharp',
  sources: [path.join(root, 'native', 'src', 'jpeg.c')],
  root,
  file: 'tripletkit_loader',
  libs: ['-ljpeg'],
  // With zlib (PNG inflate without per-image allocations) when its headers are there; else without it.
  variants: [{ flags: ['-DTK_ZLIB'], libs: ['-lz'], label: ' (with zlib)' }, { label: '' }],
});
