#!/usr/bin/env node
// Compiles the optional native distance kernel (native/src/*.c → native/build/tripletkit_kernel.node). Run by the
// miner's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon). No
// -march=native: the SIMD micro-kernels carry their own target attributes and are chosen by cpuid at run time, so the
// binary stays correct if node_modules moves to another x86-64 machine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon } from '@tripletkit/common/build-addon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'native', 'src');
const version = Number(/#define TK_VERSION (\d+)/.exec(readFileSync(path.join(srcDir, 'addon.c'), 'utf8'))?.[1]);

buildAddon({
  label: 'tripletkit native kernel',
  fallback: 'using the pure-TS kernel',
  sources: readdirSync(srcDir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => path.join(srcDir, f)),
  root,
  file: 'tripletkit_kernel',
  // An older compiler may lack AVX-512 (or any) intrinsics: retry without them before giving up on native code.
  variants: [
    { label: '' },
    { flags: ['-DTK_NO_AVX512'], label: ' (without AVX-512)' },
    { flags: ['-DTK_NO_SIMD'], label: ' (scalar only)' },
  ],
  probe: `const i=m.exports.info();if(i.version!==${version})process.exit(3);console.log('micro-kernel here: '+i.isa)`,
});
