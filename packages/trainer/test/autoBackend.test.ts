/**
 * `--backend auto` chooses by evidence: the decision (a pure function of what the machine has and the encoder) for
 * every case, and, where the tensorflow backend is installed, the real selection in a fresh process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type AutoFacts, CPU_EVIDENCE, chooseAuto, NOISE_RATIO } from '../src/backend/autoBackend.ts';
import { loadNativeGemm } from '../src/backend/nativeGemm.ts';
import { TENSORFLOW_SKIP, tensorflowInstalled } from './helpers/backends.ts';

const cpu: AutoFacts = { cuda: false, tensorflow: true, nativeKernels: true };

test('a CUDA device wins over every CPU measurement', () => {
  for (const encoder of ['small-cnn', 'resnet-small', 'custom', undefined]) {
    const c = chooseAuto({ ...cpu, cuda: true, encoder });
    assert.deepEqual(c.order, ['tensorflow', 'wasm', 'cpu']);
    assert.match(c.reason, /CUDA/);
  }
});

test('on a CPU, the backend measured faster for the encoder comes first, with the figures as the reason', () => {
  const small = chooseAuto({ ...cpu, encoder: 'small-cnn' });
  assert.deepEqual(small.order, ['wasm', 'tensorflow', 'cpu']);
  const e = CPU_EVIDENCE['small-cnn'];
  assert.ok(small.reason.includes(`${e.wasm} vs ${e.tensorflow} images/s`), small.reason);
  assert.match(small.reason, /faster on wasm \+ native/);
  // resnet-small: whichever the figures favour, or wasm when they are within noise.
  const r = CPU_EVIDENCE['resnet-small'];
  const big = chooseAuto({ ...cpu, encoder: 'resnet-small' });
  const expected = r.tensorflow / r.wasm >= NOISE_RATIO ? 'tensorflow' : 'wasm';
  assert.equal(big.order[0], expected, big.reason);
  assert.ok(big.reason.includes(`${r.wasm} vs ${r.tensorflow}`), big.reason);
});

test('the rule follows the figures: a gap within noise prefers wasm, a larger one the faster backend', () => {
  const evidence = CPU_EVIDENCE as Record<string, { wasm: number; tensorflow: number; source: string }>;
  evidence.probe = { wasm: 100, tensorflow: 105, source: 'test' };
  try {
    assert.equal(chooseAuto({ ...cpu, encoder: 'probe' }).order[0], 'wasm');
    assert.match(chooseAuto({ ...cpu, encoder: 'probe' }).reason, /within noise/);
    evidence.probe = { wasm: 100, tensorflow: 100 * NOISE_RATIO + 1, source: 'test' };
    assert.equal(chooseAuto({ ...cpu, encoder: 'probe' }).order[0], 'tensorflow');
    evidence.probe = { wasm: 100 * NOISE_RATIO + 1, tensorflow: 100, source: 'test' };
    assert.equal(chooseAuto({ ...cpu, encoder: 'probe' }).order[0], 'wasm');
  } finally {
    delete evidence.probe;
  }
});

test('without native kernels wasm is slower: tensorflow first where installed', () => {
  const c = chooseAuto({ ...cpu, nativeKernels: false, encoder: 'small-cnn' });
  assert.deepEqual(c.order, ['tensorflow', 'wasm', 'cpu']);
  assert.match(c.reason, /no native convolution kernels/);
});

test('tensorflow not installed: never in the order, and the reason says so when it would have been chosen', () => {
  const none = { ...cpu, tensorflow: false };
  assert.deepEqual(chooseAuto({ ...none, encoder: 'small-cnn' }).order, ['wasm', 'cpu']);
  assert.doesNotMatch(chooseAuto({ ...none, encoder: 'small-cnn' }).reason, /not installed/);
  const c = chooseAuto({ ...none, nativeKernels: false, encoder: 'small-cnn' });
  assert.deepEqual(c.order, ['wasm', 'cpu']);
  assert.match(c.reason, /tensorflow is not installed \(pnpm tensorflow:install\)/);
});

test('a model without figures (custom, or unknown) gets wasm + native, the default, and says why', () => {
  for (const encoder of ['custom', undefined]) {
    const c = chooseAuto({ ...cpu, encoder });
    assert.equal(c.order[0], 'wasm');
    assert.match(c.reason, /no measurement/);
  }
});

const here = path.dirname(fileURLToPath(import.meta.url));

/** selectBackend('auto', { encoder }) in a fresh process (the backend is chosen once per process). */
function autoIn(encoder: string): { name: string; reason: string; description: string } {
  const code = `import { selectBackend } from ${JSON.stringify(path.join(here, '..', 'src', 'index.ts'))};
const b = await selectBackend('auto', { encoder: ${JSON.stringify(encoder)} });
console.log(JSON.stringify(b));`;
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
}

test('selectBackend auto with tensorflow installed: the choice and its reason reach the backend line', {
  skip: tensorflowInstalled() ? false : TENSORFLOW_SKIP,
}, () => {
  const native = loadNativeGemm().addon !== undefined;
  for (const encoder of ['small-cnn', 'resnet-small']) {
    const expected = chooseAuto({ ...cpu, nativeKernels: native, encoder }).order[0];
    const b = autoIn(encoder);
    assert.equal(b.name, expected, `${encoder}: ${b.description}`);
    assert.ok(b.description.includes(`auto: ${b.reason}`), b.description);
    assert.ok(b.reason.length > 20);
  }
});
