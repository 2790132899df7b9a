// The kernel layer: the pure-TS fallback and every native micro-kernel pass the distance suite, native ISAs agree
// bit for bit, workers compute exactly what the main thread computes, and a failed build or load falls back cleanly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadNative, NATIVE_PATH } from '../src/distances/nativeKernel.ts';
import { distanceTile, kernelInfo } from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const srcIndex = path.join(pkg, 'src', 'index.ts');
const nativeActive = kernelInfo().kernel.startsWith('native');
const tmp = mkdtempSync(path.join(tmpdir(), 'tk-kernel-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function node(args: string[], env: Record<string, string>) {
  // Without NODE_TEST_CONTEXT the child runs its tests itself instead of deferring to (and skipping under) this runner.
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], {
    cwd: pkg,
    encoding: 'utf8',
    env: { ...parentEnv, ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Deterministic pseudo-random rows (no dependency on the miner's own RNG for this probe). */
const probe = `
const m = await import(${JSON.stringify(srcIndex)});
let s = 7;
const rand = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 4294967296 - 0.5; };
const parts = [];
for (const dim of [1, 5, 64, 129]) {
  const x = new Float32Array(71 * dim).map(rand);
  for (const kind of m.DISTANCE_KINDS) {
    const out = new Float32Array(71 * 71);
    m.distanceTile(x, 71, x, 71, dim, kind, out);
    let h = 2166136261;
    for (const w of new Uint32Array(out.buffer)) h = Math.imul(h ^ w, 16777619) >>> 0;
    parts.push(h.toString(16));
  }
}
console.log(JSON.stringify({ kernel: m.kernelInfo(), hash: parts.join('.') }));
`;

function runProbe(env: Record<string, string>): { kernel: { kernel: string; fallbackReason?: string }; hash: string } {
  const r = node(['--input-type=module', '-e', probe], env);
  assert.equal(r.status, 0, r.out);
  return JSON.parse(r.out.trim().split('\n').at(-1) ?? '');
}

describe('kernel selection and fallback', () => {
  it('TRIPLETKIT_KERNEL=js forces the pure-TS kernel and says so', () => {
    const r = runProbe({ TRIPLETKIT_KERNEL: 'js' });
    assert.equal(r.kernel.kernel, 'js');
    assert.match(r.kernel.fallbackReason ?? '', /TRIPLETKIT_KERNEL=js/);
  });

  it('the pure-TS kernel passes the oracle and determinism suite', {
    skip: !nativeActive && 'already the active kernel',
  }, () => {
    const r = node(['--test', path.join(here, 'distance.test.ts')], { TRIPLETKIT_KERNEL: 'js' });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /distanceTile \(js\)/);
    assert.match(r.out, /# fail 0/);
    assert.doesNotMatch(r.out, /# pass 0\b/);
  });

  for (const isa of ['avx2', 'scalar']) {
    it(`the native ${isa} micro-kernel passes the suite`, { skip: !nativeActive && 'native kernel not built' }, () => {
      const r = node(['--test', path.join(here, 'distance.test.ts')], { TRIPLETKIT_ISA: isa });
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, new RegExp(`distanceTile \\(native-${isa === 'avx2' ? '(avx2|scalar)' : isa}\\)`));
      assert.match(r.out, /# fail 0/);
      assert.doesNotMatch(r.out, /# pass 0\b/);
    });
  }

  it('every native micro-kernel gives bit-identical tiles', {
    skip: !nativeActive && 'native kernel not built',
  }, () => {
    const results = ['', 'avx2', 'scalar'].map((isa) => runProbe({ TRIPLETKIT_ISA: isa }));
    const kernels = new Set(results.map((r) => r.kernel.kernel));
    assert.ok(kernels.has('native-scalar'), [...kernels].join());
    for (const r of results) assert.equal(r.hash, results[0].hash, `${r.kernel.kernel} differs`);
  });

  it('a missing or broken addon falls back with a reason instead of throwing', () => {
    const missing = loadNative(path.join(tmp, 'absent.node'));
    assert.equal(missing.addon, undefined);
    assert.match(missing.reason ?? '', /not built/);
    const broken = path.join(tmp, 'broken.node');
    writeFileSync(broken, 'not a shared library');
    const bad = loadNative(broken);
    assert.equal(bad.addon, undefined);
    assert.match(bad.reason ?? '', /failed to load/);
  });

  it('the build script never fails: no compiler or a failing one prints one line, exits 0, keeps the old addon', () => {
    const fake = path.join(tmp, 'fake-cc');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "fake-cc: error: nope" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    // A "compiler" whose output is not a loadable addon: the build script's load check must reject it.
    const junk = path.join(tmp, 'junk-cc');
    writeFileSync(junk, '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && echo junk > "$2"; shift; done\nexit 0\n');
    chmodSync(junk, 0o755);
    for (const CC of [path.join(tmp, 'no-such-cc'), fake, junk]) {
      const r = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'build-native.mjs')], {
        encoding: 'utf8',
        env: { ...process.env, CC },
      });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1, r.stdout);
      assert.match(lines[0], /pure-TS kernel/);
    }
    if (nativeActive) assert.ok(loadNative(NATIVE_PATH).addon, 'a failed rebuild must not remove the working addon');
  });
});

describe('worker_threads', () => {
  it('two workers compute bitwise what the main thread computes, with the same kernel', async () => {
    const dim = 129;
    const rows = 150;
    const x = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
    let s = 99;
    for (let i = 0; i < x.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      x[i] = s / 4294967296 - 0.5;
    }
    const whole = new Float32Array(rows * rows);
    distanceTile(x, rows, x, rows, dim, 'euclidean', whole);
    const api = import.meta.resolve('tsx/esm/api');
    // Each worker computes its half of the anchors in blocks of 37 rows × all candidates.
    const body = `
      const { parentPort, workerData } = await import('node:worker_threads');
      const m = await import(${JSON.stringify(srcIndex)});
      const { x, rows, dim, start, end } = workerData;
      const out = new Float32Array((end - start) * rows);
      for (let i = start; i < end; i += 37) {
        const h = Math.min(37, end - i);
        const tile = new Float32Array(h * rows);
        m.distanceTile(x.subarray(i * dim, (i + h) * dim), h, x, rows, dim, 'euclidean', tile);
        out.set(tile, (i - start) * rows);
      }
      parentPort.postMessage({ out, kernel: m.kernelInfo().kernel });`;
    const code = `import(${JSON.stringify(api)}).then(async (t) => { t.register(); ${body} })`;
    const halves = [
      [0, 71],
      [71, rows],
    ];
    const results = await Promise.all(
      halves.map(
        ([start, end]) =>
          new Promise<{ out: Float32Array; kernel: string }>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { x, rows, dim, start, end } });
            w.once('message', (m) => {
              resolve(m);
              void w.terminate();
            });
            w.once('error', reject);
          }),
      ),
    );
    const stitched = new Float32Array(rows * rows);
    results.forEach((r, k) => {
      assert.equal(r.kernel, kernelInfo().kernel);
      stitched.set(r.out, halves[k][0] * rows);
    });
    assert.deepEqual(new Uint32Array(stitched.buffer), new Uint32Array(whole.buffer));
  });
});
