#!/usr/bin/env node
// Compiles the trainer's optional native GEMM/convolution kernels (native/src/*.c → native/build/tripletkit_gemm.node).
// Run by the trainer's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon);
// without it training uses the wasm kernels. SIMD variants are chosen by cpuid at run time (no -march=native).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon, SIMD_VARIANTS, versionedSources } from '@tripletkit/common/build-addon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

buildAddon({
  label: 'tripletkit trainer native kernels',
  fallback: 'the wasm kernels are used',
  ...versionedSources(root),
  root,
  file: 'tripletkit_gemm',
  variants: SIMD_VARIANTS,
});
