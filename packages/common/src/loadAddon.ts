/**
 * The one loader for tripletkit's optional native addons (miner kernel, trainer kernels, loader helpers), the way
 * npm packages with native code do it (node-gyp-build's lookup):
 *   1. a prebuilt binary shipped inside the package: `prebuilds/<platform>-<arch>/<file>.node`;
 *   2. one compiled on this machine at install: `native/build/<file>.node`;
 *   3. otherwise `undefined` and one sentence saying why and what to do; the package uses its portable fallback.
 * A candidate that fails to load or is stale (its interface version differs) is skipped for the next one.
 *
 * Environment (one scheme for all three): TRIPLETKIT_NATIVE=0 disables every addon; TRIPLETKIT_NATIVE_MINER=0,
 * TRIPLETKIT_NATIVE_TRAINER=0 or TRIPLETKIT_NATIVE_LOADER=0 disables one. The older names TRIPLETKIT_KERNEL=js,
 * TRIPLETKIT_TRAINER_NATIVE=0 and TRIPLETKIT_NO_NATIVE=1 still work.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The three addons. */
export type AddonName = 'miner' | 'trainer' | 'loader';

/** How to find and accept one addon. */
export interface AddonSpec<T> {
  name: AddonName;
  /** npm package that ships it, for the advice line. */
  pkg: string;
  /** File name without `.node`, e.g. `tripletkit_kernel`. */
  file: string;
  /** The package's root folder (a URL or path). */
  root: URL | string;
  /** What is used without it, e.g. 'using the pure-TS kernel'. */
  fallback: string;
  /** Returns why a loaded addon must not be used (stale version, no SIMD), or undefined to accept it. */
  accept?: (addon: T) => string | undefined;
  /** Explicit candidate paths instead of the lookup (tests). */
  paths?: string[];
}

/** Result of {@link loadAddon}: the addon and where it came from, or why there is none. */
export type AddonLoad<T> =
  | { addon: T; source: 'prebuild' | 'build'; path: string; reason?: undefined }
  | { addon: undefined; source?: undefined; path?: undefined; reason: string };

const LEGACY_OFF: Record<AddonName, [string, string]> = {
  miner: ['TRIPLETKIT_KERNEL', 'js'],
  trainer: ['TRIPLETKIT_TRAINER_NATIVE', '0'],
  loader: ['TRIPLETKIT_NO_NATIVE', '1'],
};

/** The environment variable that disabled `name`, or undefined. */
export function nativeDisabledBy(name: AddonName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = `TRIPLETKIT_NATIVE_${name.toUpperCase()}`;
  if (env.TRIPLETKIT_NATIVE === '0') return 'TRIPLETKIT_NATIVE=0';
  if (env[own] === '0') return `${own}=0`;
  const [legacy, value] = LEGACY_OFF[name];
  if (env[legacy] === value) return `${legacy}=${value}`;
  return undefined;
}

/** Where the addon's candidates lie, in lookup order. */
export function addonPaths(root: URL | string, file: string): { source: 'prebuild' | 'build'; path: string }[] {
  const dir = typeof root === 'string' ? root : fileURLToPath(root);
  return [
    { source: 'prebuild', path: path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`, `${file}.node`) },
    { source: 'build', path: path.join(dir, 'native', 'build', `${file}.node`) },
  ];
}

/**
 * Loads one addon (never throws).
 *
 * @example
 * const load = loadAddon<MyAddon>({ name: 'miner', pkg: '@tripletkit/miner', file: 'tripletkit_kernel',
 *   root: new URL('../../', import.meta.url), fallback: 'using the pure-TS kernel' });
 * if (!load.addon) console.warn(load.reason);
 */
export function loadAddon<T>(spec: AddonSpec<T>): AddonLoad<T> {
  const off = nativeDisabledBy(spec.name);
  if (off) return { addon: undefined, reason: `native ${spec.name} addon disabled by ${off}; ${spec.fallback}` };
  const candidates = spec.paths
    ? spec.paths.map((p) => ({ source: 'build' as const, path: p }))
    : addonPaths(spec.root, spec.file);
  const problems: string[] = [];
  const require = createRequire(import.meta.url);
  for (const c of candidates) {
    if (!existsSync(c.path)) continue;
    try {
      const addon = require(c.path) as T;
      const refused = spec.accept?.(addon);
      if (refused) problems.push(`${c.path} ${refused}`);
      else return { addon, source: c.source, path: c.path };
    } catch (err) {
      problems.push(`${c.path} failed to load (${(err as Error).message.split('\n')[0]})`);
    }
  }
  const why = problems.length
    ? problems.join('; ')
    : `native ${spec.name} addon not built (no prebuilt binary for ${process.platform}-${process.arch} and none compiled at install)`;
  return {
    addon: undefined,
    reason: `${why}; ${spec.fallback}. For native speed install a C compiler (gcc or clang) and run \`npm rebuild ${spec.pkg}\`.`,
  };
}
