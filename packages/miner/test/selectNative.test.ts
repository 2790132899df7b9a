// The native window selection (native/src/select.c) against the TypeScript scan it mirrors: the same mining with each
// must give the same bytes in every column, for every margin strategy, distance, cap and data shape (ties, one big
// class for the table path, tiny tiles, a reference set). The TypeScript scan itself is checked against the brute-force
// PML oracle in mine.test.ts / mineCaps.test.ts. Each instruction set's variant runs in a child (TRIPLETKIT_ISA).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nativeAddon } from '../src/distances/distanceTile.ts';
import type { DistanceKind } from '../src/distances/index.ts';
import {
  DISTANCE_KINDS,
  getStrategy,
  kernelInfo,
  type MinedTriplets,
  type MineOptions,
  mine,
  STRATEGIES,
} from '../src/index.ts';
import { nativeSelectBuffer, useNativeSelection } from '../src/strategies/windowSelector.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Every registered margin strategy (the window selection is theirs) and every registered distance.
const STRATS = STRATEGIES.filter((s) => getStrategy(s).window);
const KINDS: readonly DistanceKind[] = DISTANCE_KINDS;
const CAPS: MineOptions[] = [
  {},
  { maxPerAnchor: 1 },
  { maxPerAnchor: 7 },
  { negativesPerPair: 2, pick: 'hardest' },
  { negativesPerPair: 3, pick: 'random' },
  { negativesPerPair: 2, pick: 'random', maxPerAnchor: 5 },
];

function rng(seed: number) {
  let s = seed || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

interface Data {
  name: string;
  emb: Float32Array;
  dim: number;
  labels: Int32Array;
  reference?: { embeddings: Float32Array; labels: Int32Array };
}

/** Gaussian-ish clusters that overlap (so every strategy keeps a mix), optionally on an integer grid (exact ties). */
function clusters(
  name: string,
  n: number,
  dim: number,
  classes: number,
  seed: number,
  ints: boolean,
  label?: (i: number) => number,
): Data {
  const r = rng(seed);
  const emb = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = label ? label(i) : Math.floor(r() * classes);
    for (let k = 0; k < dim; k++) {
      const v = (labels[i] % 3) * 0.3 + (r() + r() + r() - 1.5) * 0.6;
      emb[i * dim + k] = ints ? Math.round(v * 2) : v;
    }
    // Duplicated rows: equal distances, equal thresholds.
    if (i > 0 && r() < 0.15) emb.copyWithin(i * dim, (i - 1) * dim, i * dim);
  }
  return { name, emb, dim, labels };
}

const DATA: Data[] = [
  clusters('floats, 5 classes', 160, 6, 5, 11, false),
  clusters('integer grid, many ties', 150, 3, 4, 12, true),
  // A class of 262 (over 256 positives per anchor: the AVX-512 scan's bucket-table path, as in TypeScript) and one of 8.
  clusters('a 262-member class', 270, 4, 2, 13, false, (i) => (i < 262 ? 0 : 1)),
  clusters('1-D, ties', 90, 1, 3, 14, true),
];
{
  const q = clusters('reference set', 70, 5, 4, 15, false);
  const ref = clusters('', 130, 5, 4, 16, false);
  DATA.push({ ...q, reference: { embeddings: ref.emb, labels: ref.labels } });
}

const bytes = (t: MinedTriplets) =>
  Buffer.concat(
    [t.anchors, t.positives, t.negatives, t.dAp, t.dAn].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  );

function mineWith(native: boolean, d: Data, o: MineOptions, buffer = 1 << 18): MinedTriplets {
  const was = useNativeSelection(native);
  const wasBuffer = nativeSelectBuffer(buffer);
  try {
    return mine(d.emb, d.dim, d.labels, { ...o, reference: d.reference, workers: 0 });
  } finally {
    useNativeSelection(was);
    nativeSelectBuffer(wasBuffer);
  }
}

const skip = nativeAddon ? false : `no native addon here (${kernelInfo().fallbackReason ?? 'js kernel'})`;

// A child (one instruction set forced) runs the sets without the big class: its variants use the table path anyway.
const inChild = process.env.TK_SELECT_CHILD === '1';

describe(`native window selection equals the TypeScript scan (${kernelInfo().kernel})`, { skip }, () => {
  for (const d of DATA) {
    it(d.name, { skip: inChild && d.name.startsWith('a 262') }, () => {
      let nonEmpty = 0;
      let run = 0;
      for (const strategy of STRATS) {
        for (const distance of KINDS) {
          for (const cap of d.name.startsWith('a 262') ? CAPS.slice(1, 4) : CAPS) {
            // Tile size and normalisation rotate through the grid (the output must not depend on either anyway).
            const tileSize = [512, 7, 33][run % 3];
            const normalize = run % 2 === 0;
            // Now and then a tiny record buffer: rows go to the addon in small groups (1–3 rows per call).
            const buffer = run % 4 === 3 ? 100 : 1 << 18;
            run++;
            const o: MineOptions = { strategy, distance, normalize, margin: 0.2, seed: 5, tileSize, ...cap };
            const js = mineWith(false, d, o);
            const nat = mineWith(true, d, o, buffer);
            if (js.anchors.length > 0) nonEmpty++;
            assert.ok(bytes(js).equals(bytes(nat)), `${d.name}: ${JSON.stringify(o)}`);
          }
        }
      }
      // The comparison means something only if the runs selected triplets.
      assert.ok(nonEmpty > run / 2, `only ${nonEmpty} runs selected anything`);
    });
  }

  it('other margins (negative, zero, large) on the tie-heavy set', () => {
    const d = DATA[1];
    for (const margin of [-0.5, 0, 1, 3]) {
      for (const strategy of STRATS) {
        for (const distance of KINDS) {
          for (const cap of [{}, { maxPerAnchor: 3 }]) {
            const o: MineOptions = { strategy, distance, margin, seed: 9, ...cap };
            assert.ok(bytes(mineWith(false, d, o)).equals(bytes(mineWith(true, d, o))), JSON.stringify(o));
          }
        }
      }
    }
  });

  // The AVX2 and scalar variants of the native scan (forced like the tile kernel's) in children.
  for (const isa of ['avx2', 'scalar']) {
    it(`the same with TRIPLETKIT_ISA=${isa}`, { skip: inChild }, () => {
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const r = spawnSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', '--test', path.join(here, 'selectNative.test.ts')],
        { encoding: 'utf8', env: { ...env, TRIPLETKIT_ISA: isa, TK_SELECT_CHILD: '1' } },
      );
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`.slice(-3000));
      assert.match(r.stdout, new RegExp(`native-${isa}`));
    });
  }
});
