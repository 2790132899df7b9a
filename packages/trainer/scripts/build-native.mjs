#!/usr/bin/env node
// Compiles the trainer's optional native GEMM/convolution kernels (native/src/*.c → native/build/tripletkit_gemm.node).
// Run by the trainer's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon);
// without it training uses the wasm kernels. SIMD variants are chosen by cpuid at run time (no -march=native).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon } from '@tripletkit/common/build-addon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'native', 'src');
const version = Number(/#define TK_VERSION (\d+)/.exec(readFileSync(path.join(srcDir, 'addon.c'), 'utf8'))?.[1]);

buildAddon({
  label: 'tripletkit trainer native kernels',
  fallback: 'the wasm kernels are used',
  sources: readdirSync(srcDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => path.join(srcDir, f)),
  root,
  file: 'tripletkit_gemm',
  variants: [
    { label: '' },
    { flags: ['-DTK_NO_AVX512'], label: ' (without AVX-512)' },
    { flags: ['-DTK_NO_SIMD'], label: ' (scalar only)' },
  ],
  probe: `const i=m.exports.info();if(i.version!==${version})process.exit(3);console.log('micro-kernel here: '+i.isa)`,
});
