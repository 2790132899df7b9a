/**
 * The built CLI as users run it (packages/cli/bin/tripletkit.js → bundle/): the launcher's `--help`, pre-rendered at
 * build time, is byte-identical to yargs' own rendering of the current command definitions; `--version` and no
 * arguments work without the parser; and a bundled command gives the same output as the CLI run from source. Start-up
 * time itself is measured by scripts/bench-startup.mjs (whole processes), not here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { buildCli } from '../packages/cli/src/cli.ts';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  recordBatch,
  schemaOf,
  writeArrow,
} from '../packages/common/src/index.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

const cliDir = path.join(repoRoot, 'packages', 'cli');
const bin = path.join(cliDir, 'bin', 'tripletkit.js');
const built = existsSync(path.join(cliDir, 'bundle', 'main.js'));
const skip = built ? false : 'packages/cli is not built (pnpm install builds it)';
/** English messages, as the pre-rendered help; the parent's locale must not leak in. */
const env = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };
const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...env, ...extra } });

const dir = await tempDir('tripletkit-startup-');
after(() => fs.rm(dir, { recursive: true, force: true }));

test('launcher --help (pre-rendered) equals the help yargs renders from the source definitions', { skip }, async () => {
  for (const width of [20, 60, 80, 100, 120]) {
    const file = path.join(cliDir, 'bundle', 'help', `${width}.txt`);
    assert.equal(readFileSync(file, 'utf8'), `${await buildCli(['--help'], width).getHelp()}\n`, `width ${width}`);
  }
  const fast = run(['--help']);
  assert.equal(fast.status, 0);
  const yargs = spawnSync(process.execPath, [path.join(cliDir, 'bundle', 'main.js'), '--help'], {
    encoding: 'utf8',
    env,
  });
  assert.equal(fast.stdout, yargs.stdout, 'fast path vs the bundled parser');
  const source = await runCli(['--help'], { env });
  assert.equal(fast.stdout, source.stdout, 'fast path vs the CLI from source');
  assert.equal(run(['-h']).stdout, fast.stdout);
  const bare = run([]);
  assert.equal(bare.status, 0);
  assert.equal(bare.stdout, fast.stdout, '`tripletkit` alone prints the help');
  // Another locale goes through yargs and its message catalogue.
  assert.match(run(['--help'], { LANG: 'de_DE.UTF-8' }).stdout, /Kommandos:/);
});

test('launcher --version prints the package version; command help still comes from yargs', { skip }, () => {
  const { version } = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const r = run([flag]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
  }
  const mineHelp = run(['mine', '--help']);
  assert.equal(mineHelp.status, 0);
  assert.match(mineHelp.stdout, /--tile-size/);
});

test('bundled mine writes the same triplets as the CLI from source', { skip }, async () => {
  const n = 40;
  const dim = 6;
  const emb = new Float32Array(n * dim).map((_, i) => Math.fround(Math.cos(i * 0.37) * 3));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const schema = schemaOf([field('embedding', float32ListType(dim)), field('label', int32Data(labels).type)], {
    'tripletkit.kind': 'embeddings',
  });
  const input = path.join(dir, 'emb.arrow');
  await writeArrow(input, schema, [recordBatch(schema, [fixedSizeListData(emb, dim), int32Data(labels)])]);
  const args = (out: string) => ['mine', '-e', input, '-s', 'semi-hard', '--max-per-anchor', '3', '-o', out, '--json'];
  const bundled = run(args(path.join(dir, 'bundled.arrow')));
  assert.equal(bundled.status, 0, bundled.stderr);
  const source = await runCli(args(path.join(dir, 'source.arrow')), { env });
  assert.equal(source.code, 0, source.stderr);
  const strip = (s: string) =>
    JSON.parse(s, (k, v) => (['seconds', 'tripletsPerSecond', 'output'].includes(k) ? 0 : v));
  assert.deepEqual(strip(bundled.stdout), strip(source.stdout));
  assert.deepEqual(
    await fs.readFile(path.join(dir, 'bundled.arrow')),
    await fs.readFile(path.join(dir, 'source.arrow')),
    'byte-identical triplets files',
  );
  // The bundled library finds its native kernel next to the installed miner, as without the bundle.
  assert.equal(JSON.parse(bundled.stdout).kernel, JSON.parse(source.stdout).kernel);
});

test('bundled load writes the same images file as the CLI from source', { skip }, async () => {
  // A tiny IDX pair (MNIST layout): 12 random 8×8 images, labels 0–2.
  const n = 12;
  const head = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    for (const [i, d] of dims.entries()) b.writeUInt32BE(d, 4 + 4 * i);
    return b;
  };
  const pixels = Buffer.from(Array.from({ length: n * 64 }, (_, i) => (i * 37) % 256));
  const labels = Buffer.from(Array.from({ length: n }, (_, i) => i % 3));
  await fs.writeFile(path.join(dir, 'img.idx'), Buffer.concat([head(0x803, [n, 8, 8]), pixels]));
  await fs.writeFile(path.join(dir, 'lab.idx'), Buffer.concat([head(0x801, [n]), labels]));
  const args = (out: string) => ['load', '--idx', path.join(dir, 'img.idx'), path.join(dir, 'lab.idx'), '-o', out];
  const bundled = run(args(path.join(dir, 'bundled-images.arrow')));
  assert.equal(bundled.status, 0, bundled.stderr);
  const source = await runCli(args(path.join(dir, 'source-images.arrow')), { env });
  assert.equal(source.code, 0, source.stderr);
  assert.deepEqual(
    await fs.readFile(path.join(dir, 'bundled-images.arrow')),
    await fs.readFile(path.join(dir, 'source-images.arrow')),
  );
});

test('a bad flag is refused before any input is read (exit 2, the flag as typed)', { skip }, () => {
  const cases: [string[], RegExp][] = [
    [
      ['mine', '--tile-size', '-3', '-e', '/nonexistent.arrow', '-s', 'all', '-o', path.join(dir, 'x.arrow')],
      /--tile-size/,
    ],
    [
      ['mine', '--max-per-anchor', '0', '-e', '/nonexistent.arrow', '-s', 'all', '-o', path.join(dir, 'x.arrow')],
      /--max-per-anchor/,
    ],
    [['load', '/nonexistent-folder', '--size', '60000', '-o', path.join(dir, 'x.arrow')], /--size/],
    [['load', '/nonexistent-folder', '--concurrency', '0', '-o', path.join(dir, 'x.arrow')], /--concurrency/],
  ];
  for (const [args, flag] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, flag);
    assert.doesNotMatch(r.stderr, /does not exist/);
  }
});
