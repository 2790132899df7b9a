/**
 * Pass 1 of an anchor block: the distance of every anchor to each of its positives.
 *
 * Positives are same-class candidates (usually few), so instead of streaming all candidates we take each class's
 * members (contiguous in Prepared.classRows) and compute small tiles against the block's anchors of that class. The tile kernel is bitwise-deterministic
 * per element, so these values are exactly the ones a full-matrix tile would give.
 */
import { distanceTile, getDistance } from '../distances/index.ts';
import type { Prepared } from './prepare.ts';
import type { ResolvedOptions } from './types.ts';

/**
 * Positives of anchors a0…a1−1. For local anchor i, entries start[i]…start[i+1]−1, sorted by (val, row) ascending:
 * `val` is the canonical value (distance, or −similarity), so the farthest positive is last. `slot` is the entry's
 * rank by row, used to emit triplets in (anchor, positive, negative) order.
 */
export interface BlockPositives {
  start: Int32Array;
  row: Int32Array;
  val: Float32Array;
  slot: Int32Array;
}

/** Positions fit in the low 21 bits of a sort key (2^32 · 2^21 = 2^53, exact in a float64). */
const SLOT_LIMIT = 2 ** 21;

function maxRun(start: Int32Array, nb: number): number {
  let m = 0;
  for (let i = 0; i < nb; i++) m = Math.max(m, start[i + 1] - start[i]);
  return m;
}

/** Scratch buffers reused across blocks (grow-only). */
export class Scratch {
  f32: Record<string, Float32Array> = {};
  i32: Record<string, Int32Array> = {};
  f64s: Record<string, Float64Array> = {};
  f(name: string, n: number): Float32Array {
    return grown(this.f32, name, n, Float32Array);
  }
  f64(name: string, n: number): Float64Array {
    return grown(this.f64s, name, n, Float64Array);
  }
  i(name: string, n: number): Int32Array {
    return grown(this.i32, name, n, Int32Array);
  }
}

/** The buffer `name` of `table`, replaced by a larger one (at least 16) when it holds fewer than n values. */
function grown<T extends Float32Array | Float64Array | Int32Array>(
  table: Record<string, T>,
  name: string,
  n: number,
  make: new (length: number) => T,
): T {
  let a = table[name];
  if (!a || a.length < n) {
    a = new make(Math.max(n, 16));
    table[name] = a;
  }
  return a;
}

/**
 * @example
 * const pos = blockPositives(prepared, options, 0, 256, new Scratch());
 */
export function blockPositives(
  p: Prepared,
  options: ResolvedOptions,
  a0: number,
  a1: number,
  scratch: Scratch,
): BlockPositives {
  const { dim, classStart, classMembers, sign } = p;
  const nb = a1 - a0;
  const start = new Int32Array(nb + 1);
  for (let i = 0; i < nb; i++) {
    const c = p.anchorClass[a0 + i];
    start[i + 1] = start[i] + classStart[c + 1] - classStart[c] - (p.excludeSelf ? 1 : 0);
  }
  const total = start[nb];
  const row = new Int32Array(total);
  const val = new Float32Array(total);
  const slot = new Int32Array(total);
  if (total === 0) return { start, row, val, slot };

  // Group the block's anchors by class (anchors keep ascending order inside a group).
  const groups = new Map<number, number[]>();
  for (let i = 0; i < nb; i++) {
    const c = p.anchorClass[a0 + i];
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  }
  const norms = getDistance(options.distance).needsNorms;
  const tile = options.tileSize;
  const fillAt = start.slice(0, nb);
  for (const [c, locals] of groups) {
    const m0 = classStart[c];
    const m1 = classStart[c + 1];
    if (m1 - m0 === 0 || (p.excludeSelf && m1 - m0 === 1)) continue;
    const ng = locals.length;
    const aRows = scratch.f('aRows', ng * dim);
    const aNorms = scratch.f('aNorms', ng);
    for (let g = 0; g < ng; g++) {
      const a = a0 + locals[g];
      aRows.set(p.anchors.subarray(a * dim, (a + 1) * dim), g * dim);
      if (norms) aNorms[g] = p.anchorNorms[a];
    }
    for (let k0 = m0; k0 < m1; k0 += tile) {
      const cnt = Math.min(tile, m1 - k0);
      // The class's rows are contiguous in classRows: no copy.
      const bRows = p.classRows.subarray(k0 * dim, (k0 + cnt) * dim);
      const bNorms = p.classNorms.subarray(k0, k0 + cnt);
      const out = scratch.f('posTile', ng * cnt);
      distanceTile(aRows, ng, bRows, cnt, dim, options.distance, out, aNorms, bNorms);
      for (let g = 0; g < ng; g++) {
        const i = locals[g];
        const a = a0 + i;
        let w = fillAt[i];
        for (let k = 0; k < cnt; k++) {
          const r = classMembers[k0 + k];
          if (p.excludeSelf && r === a) continue;
          row[w] = r;
          val[w] = sign * out[g * cnt + k];
          w++;
        }
        fillAt[i] = w;
      }
    }
  }

  // Sort each anchor's positives by (val, row); rows were filled ascending, so position order = row order.
  const keys = scratch.f64('keys', maxRun(start, nb));
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let i = 0; i < nb; i++) {
    const s = start[i];
    const n = start[i + 1] - s;
    if (n < 2) continue;
    const r = row.slice(s, s + n);
    const v = val.slice(s, s + n);
    if (n < SLOT_LIMIT) {
      // One native numeric sort of exact float64 keys: (order-preserving 32-bit image of the value) · 2^21 + position.
      for (let k = 0; k < n; k++) {
        asFloat[0] = v[k] + 0; // −0 → +0: equal values must tie (then order by row)
        const u = bits[0];
        const ordered = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
        keys[k] = ordered * SLOT_LIMIT + k;
      }
      const sorted = keys.subarray(0, n).sort();
      for (let k = 0; k < n; k++) {
        const pos = sorted[k] % SLOT_LIMIT;
        row[s + k] = r[pos];
        val[s + k] = v[pos];
        slot[s + k] = pos;
      }
    } else {
      const order = Array.from({ length: n }, (_, k) => k);
      order.sort((x, y) => v[x] - v[y] || x - y);
      for (let k = 0; k < n; k++) {
        row[s + k] = r[order[k]];
        val[s + k] = v[order[k]];
        slot[s + k] = order[k];
      }
    }
  }
  return { start, row, val, slot };
}
