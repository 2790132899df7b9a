#!/usr/bin/env node
// Compiles the trainer's optional native GEMM/convolution kernels (native/src/*.c → native/build/tripletkit_gemm.node).
// Run by the trainer's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon);
// without it training uses the wasm kernels. SIMD variants are chosen by cpuid at run time (no -march=native).
import { buildSimdAddon } from '@tripletkit/common/build-addon';

buildSimdAddon(import.meta.url, {
  label: 'tripletkit trainer native kernels',
  fallback: 'the wasm kernels are used',
  file: 'tripletkit_gemm',
});
