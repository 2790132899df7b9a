/**
 * Loads the optional native tile kernel (packages/miner/native, compiled at install by scripts/build-native.mjs).
 * Any failure — no compiler at install time, another CPU, a stale build, TRIPLETKIT_KERNEL=js — leaves the pure-TS
 * kernel in charge and records why, for kernelInfo().
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What the addon exports (native/src/addon.c). */
export interface NativeAddon {
  /** Same contract as jsDistanceTile; kind is 0 euclidean, 1 squared-euclidean, 2 cosine. */
  tile(
    a: Float32Array,
    aRows: number,
    b: Float32Array,
    bRows: number,
    dim: number,
    kind: number,
    out: Float32Array,
    aNorms: Float32Array,
    bNorms: Float32Array,
  ): void;
  /** The micro-kernel picked by cpuid: "avx512", "avx2" or "scalar". */
  info(): { isa: string; simd: boolean; version: number };
}

/** Bumped whenever the addon's interface changes, so a stale build is refused rather than misused. */
export const NATIVE_VERSION = 1;

/** Where the build script writes the addon, relative to this file in src/ and dist/ alike. */
export const NATIVE_PATH = fileURLToPath(new URL('../../native/build/tripletkit_kernel.node', import.meta.url));

export type NativeLoad = { addon: NativeAddon; reason?: undefined } | { addon: undefined; reason: string };

/** Tries the addon once (`path` is for tests); never throws. */
export function loadNative(path = NATIVE_PATH): NativeLoad {
  const forced = process.env.TRIPLETKIT_KERNEL;
  if (forced === 'js') return { addon: undefined, reason: 'TRIPLETKIT_KERNEL=js forces the pure-TypeScript kernel' };
  if (!existsSync(path)) {
    return {
      addon: undefined,
      reason: `native kernel not built (${path} is missing; run \`pnpm --filter @tripletkit/miner build\` with a C compiler installed)`,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const info = addon.info();
    if (info.version !== NATIVE_VERSION) {
      return {
        addon: undefined,
        reason: `native kernel is stale (version ${info.version}, expected ${NATIVE_VERSION}); rebuild it`,
      };
    }
    return { addon };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { addon: undefined, reason: `native kernel failed to load: ${msg}` };
  }
}
