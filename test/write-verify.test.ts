import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sharp } from '../packages/loader/test/fixtures.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

const shortWrite = pathToFileURL(path.join(repoRoot, 'test', 'helpers', 'shortWrite.mjs')).href;

test('a short write is never reported as success: load exits non-zero and leaves no file', async () => {
  const dir = await tempDir();
  for (const [cls, r] of [
    ['a', 200],
    ['b', 20],
  ] as const) {
    await fs.mkdir(path.join(dir, 'data', cls), { recursive: true });
    for (let i = 0; i < 8; i++) {
      const img = sharp({ create: { width: 24, height: 24, channels: 3, background: { r, g: i * 30, b: 90 } } });
      await img.png().toFile(path.join(dir, 'data', cls, `${i}.png`));
    }
  }
  const out = path.join(dir, 'out', 'images.arrow');
  const env = { NODE_OPTIONS: `--import ${shortWrite}` };
  for (const format of ['file', 'stream']) {
    const r = await runCli(['load', path.join(dir, 'data'), '--size', '16', '-o', out, '--format', format], { env });
    assert.notEqual(r.code, 0, `${format}: ${r.stderr}`);
    assert.match(r.stderr, /Writing .*images\.arrow failed: .*no file was written/, r.stderr);
    assert.deepEqual(await fs.readdir(path.join(dir, 'out')), [], `${format}: nothing left behind`);
  }
  // The same run without the fault succeeds: the check does not reject good files.
  const ok = await runCli(['load', path.join(dir, 'data'), '--size', '16', '-o', out]);
  assert.equal(ok.code, 0, ok.stderr);
});
