#!/usr/bin/env node
// Compiles the optional native distance kernel (native/src/*.c → native/build/tripletkit_kernel.node). Run by the
// miner's `build` script, hence by `pnpm install`; never fails it (see @tripletkit/common/build-addon). No
// -march=native: the SIMD micro-kernels carry their own target attributes and are chosen by cpuid at run time, so the
// binary stays correct if node_modules moves to another x86-64 machine.
import { buildSimdAddon } from '@tripletkit/common/build-addon';

buildSimdAddon(import.meta.url, {
  label: 'tripletkit native kernel',
  fallback: 'using the pure-TS kernel',
  file: 'tripletkit_kernel',
});
