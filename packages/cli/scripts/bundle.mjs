#!/usr/bin/env node
// Bundles the CLI for start-up speed (issue 8: `--help` < 150 ms, `load`/`mine` working within 300 ms): Node's ESM
// loader pays per module (yargs is ~70 of them, apache-arrow ~300), and one bundled file loads ~4× faster. esbuild
// puts src/main.ts, yargs, the @tripletkit libraries and apache-arrow into bundle/, split per command: each command's
// library is a chunk loaded when that command runs. Packages with native code or their own assets (sharp, tfjs,
// mnist, …) stay external. Library code that finds files next to itself (native addons, worker scripts) sees its
// installed location: `import.meta.url` in a library module is rewritten to that module's URL in the library's dist/,
// so addons and worker threads load from the library exactly as without the bundle.
// Then it renders `tripletkit --help` from the real yargs definitions at every width the parser can use, into
// bundle/help/<width>.txt, which bin/tripletkit.js prints without loading the parser (test/cli-startup.test.ts checks it is
// byte-identical to yargs' own output). Run by `build` and `prepack`, after tsc.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bundle');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/**
 * Bundled: yargs, and the libraries behind `load`/`mine`/`split` with their pure-JS dependencies. The trainer and the
 * demo stay external (all but their option specs, which import no tfjs): their TensorFlow.js packages resolve from the
 * trainer's own folder only (TripletkitError is recognised across the two copies of common this makes). Everything
 * not listed here or in PURE is imported from node_modules.
 */
const BUNDLED = new Set(['yargs', '@tripletkit/common', '@tripletkit/miner', '@tripletkit/loader']);
/**
 * External as a whole, bundled in their `./options` subpath: the parser is built from those specs, and a subpath left
 * external would load module by module at start-up (~500 ms for `load`/`mine` when the trainer's was).
 */
const OPTIONS_BUNDLED = new Set(['@tripletkit/trainer', '@tripletkit/demo']);
/** Dependencies of the bundled libraries that are plain JavaScript with no files of their own to find. */
const PURE = new Set(['apache-arrow', 'csv-parse', 'p-limit']);
const require = createRequire(path.join(root, 'package.json'));
const yargsDir = path.dirname(require.resolve('yargs/package.json'));

/** The bundled libraries' own dependencies that stay external (native code, assets). */
function libraryExternals() {
  const deps = new Set();
  for (const lib of BUNDLED) {
    if (!lib.startsWith('@tripletkit/')) continue;
    const libPkg = JSON.parse(readFileSync(path.join(libraryRoot(lib), 'package.json'), 'utf8'));
    for (const d of [...Object.keys(libPkg.dependencies ?? {}), ...Object.keys(libPkg.optionalDependencies ?? {})])
      if (!BUNDLED.has(d) && !PURE.has(d)) deps.add(d);
  }
  return [...deps].flatMap((d) => [d, `${d}/*`]);
}

/** A library's folder (where its package.json is), from its main entry `dist/index.js`. */
function libraryRoot(lib) {
  return path.resolve(path.dirname(require.resolve(lib)), '..');
}

/** Rewrites `import.meta.url` in library modules to the module's own URL in the installed library (see above). */
function libraryUrls() {
  const roots = [...BUNDLED].filter((l) => l.startsWith('@tripletkit/')).map((l) => [l, libraryRoot(l)]);
  return {
    name: 'library-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const hit = roots.find(([, r]) => args.path.startsWith(r + path.sep));
        if (!hit) return undefined;
        const src = readFileSync(args.path, 'utf8');
        if (!src.includes('import.meta.url')) return undefined;
        const [lib, r] = hit;
        const rel = path.relative(path.join(r, 'dist'), args.path).split(path.sep).join('/');
        // The library's main entry is dist/index.js: the module's URL is relative to it.
        const url = `new URL(${JSON.stringify(`./${rel}`)}, import.meta.resolve(${JSON.stringify(lib)})).href`;
        return { contents: src.replaceAll('import.meta.url', url), loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(root, 'src', 'main.ts'), cli: path.join(root, 'src', 'cli.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [
    // The trainer and the demo are external through the plugin below: an external package name would take its
    // subpaths with it.
    ...Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d) && !OPTIONS_BUNDLED.has(d)),
    // Subpaths too, except the option specs the parser is built from (light, bundled so start-up stays one file).
    ...Object.keys(pkg.dependencies).flatMap((d) => (BUNDLED.has(d) || OPTIONS_BUNDLED.has(d) ? [] : [`${d}/*`])),
    ...libraryExternals(),
    'tsx',
    'tsx/*',
  ],
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
  // apache-arrow declares "sideEffects": false, yet its node entry installs its stream adapters by side effect.
  ignoreAnnotations: true,
  plugins: [
    libraryUrls(),
    {
      name: 'options-bundled-external',
      setup(b) {
        b.onResolve({ filter: /^@tripletkit\/[^/]+$/ }, (args) =>
          OPTIONS_BUNDLED.has(args.path) ? { path: args.path, external: true } : undefined,
        );
      },
    },
    {
      // yargs finds its message catalogues three folders above its platform shim; in the bundle they sit beside it.
      name: 'yargs-locales',
      setup(b) {
        b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
          const src = readFileSync(args.path, 'utf8');
          const from = "resolve(__dirname, '../../../locales')";
          if (!src.includes(from)) throw new Error(`bundle: yargs' esm shim changed; ${from} not found`);
          return { contents: src.replace(from, "fileURLToPath(new URL('./locales', import.meta.url))"), loader: 'js' };
        });
      },
    },
  ],
});
cpSync(path.join(yargsDir, 'locales'), path.join(out, 'locales'), { recursive: true });

// `tripletkit --help` at every width buildCli can choose (min(120, columns), 100 off a terminal), rendered by yargs in
// the English message catalogue (LANG=C renders the same, checked here). The launcher prints these for the English,
// C and POSIX locales; any other locale goes through yargs.
const { buildCli } = await import(pathToFileURL(path.join(out, 'cli.js')).href);
mkdirSync(path.join(out, 'help'));
for (let width = 20; width <= 120; width++) {
  const render = async (lang) => {
    const saved = process.env.LANG;
    for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANGUAGE']) delete process.env[k];
    process.env.LANG = lang;
    try {
      return await buildCli(['--help'], width).getHelp();
    } finally {
      if (saved === undefined) delete process.env.LANG;
      else process.env.LANG = saved;
    }
  };
  const en = await render('en_US');
  if ((await render('C')) !== en) throw new Error(`bundle: --help differs between LANG=C and en_US at width ${width}`);
  writeFileSync(path.join(out, 'help', `${width}.txt`), `${en}\n`);
}
console.log(`@tripletkit/cli: bundled into bundle/ with --help for widths 20–120`);
