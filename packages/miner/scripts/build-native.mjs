#!/usr/bin/env node
// Compiles the optional native distance kernel (native/src/*.c → native/build/tripletkit_kernel.node). Run by the
// miner's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon). No
// -march=native: the SIMD micro-kernels carry their own target attributes and are chosen by cpuid at run time, so the
// binary stays correct if node_modules moves to another x86-64 machine.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAddon, SIMD_VARIANTS, versionedSources } from '@tripletkit/common/build-addon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

buildAddon({
  label: 'tripletkit native kernel',
  fallback: 'using the pure-TS kernel',
  ...versionedSources(root),
  root,
  file: 'tripletkit_kernel',
  variants: SIMD_VARIANTS,
});
