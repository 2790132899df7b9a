/**
 * Exact float32 thresholds for PML's margin predicate. For a positive value v and a bound t, the set of float32 x
 * with fround(x − v) ≤ t is {x ≤ T} (the predicate is monotone in x), so the miner's inner loop can compare x with T
 * instead of rounding a subtraction: same answers, bit for bit, and cheaper.
 */
const fround = Math.fround;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

// Float32 values in order: key k ∈ [0, 2^32) ↔ the float with bits k − 2^31 (k ≥ 2^31) or ~k (negative floats).
const KEY_NEG_INF = ~0xff800000 >>> 0;
const KEY_POS_INF = 0x7f800000 + 0x80000000;

function keyOf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  return b & 0x80000000 ? ~b >>> 0 : b + 0x80000000;
}

function floatOfKey(k: number): number {
  u32[0] = k >= 0x80000000 ? k - 0x80000000 : ~k >>> 0;
  return f32[0];
}

/** Largest float32 x (−∞ … +∞) with fround(x − v) ≤ t, by bisection on the keys. */
function lastByBisection(v: number, t: number): number {
  let a = KEY_NEG_INF;
  let b = KEY_POS_INF;
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (fround(floatOfKey(mid) - v) <= t) a = mid;
    else b = mid - 1;
  }
  return floatOfKey(a);
}

/**
 * The largest float32 x with fround(x − v) ≤ t (v a float32, t a float32 or ±∞). −∞ always qualifies when t is finite.
 *
 * @example
 * const T = lastAtMost(0.5, Math.fround(0.2)); // fround(x − 0.5) ≤ 0.2 ⟺ x ≤ T
 */
export function lastAtMost(v: number, t: number): number {
  if (t === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  // Start next to the answer and step one float at a time (0–2 steps in practice); bisect if that runs long.
  let k = keyOf(fround(v + t));
  for (let steps = 0; steps < 8; steps++) {
    const here = fround(floatOfKey(k) - v) <= t;
    if (here && (k === KEY_POS_INF || !(fround(floatOfKey(k + 1) - v) <= t))) return floatOfKey(k);
    k = here ? k + 1 : k - 1;
    if (k < KEY_NEG_INF || k > KEY_POS_INF) break;
  }
  return lastByBisection(v, t);
}
