/**
 * Turns the caller's arrays into what every anchor block reads: normalised rows, squared norms, dense class ids and
 * the candidates grouped by class. Built once per mining run (and shared with workers), never per block.
 */
import { invalidArgument, TripletkitError } from '@tripletkit/common';
import { getDistance, l2Normalize, squaredNorms } from '../distances/index.ts';
import type { ResolvedOptions } from './types.ts';

/** Read-only inputs of the streaming core. All arrays may live in SharedArrayBuffers. */
export interface Prepared {
  dim: number;
  /** Rows of the anchor set and of the candidate set (the same set unless a reference is given). */
  nA: number;
  nC: number;
  anchors: Float32Array;
  anchorNorms: Float32Array;
  anchorClass: Int32Array;
  cands: Float32Array;
  candNorms: Float32Array;
  candClass: Int32Array;
  /** Candidates grouped by class, ascending row within a class: members of c are classMembers[classStart[c]…]. */
  classStart: Int32Array;
  classMembers: Int32Array;
  /** The candidate rows in classMembers order (and their norms), so a class's rows are one contiguous slice. */
  classRows: Float32Array;
  classNorms: Float32Array;
  /** True without a reference set: an anchor is not its own positive (PML fills the match diagonal with 0). */
  excludeSelf: boolean;
  /** +1 for distances, −1 for similarities: values are multiplied by it so "smaller = closer" everywhere. */
  sign: number;
}

function checkFinite(x: Float32Array, dim: number, what: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) {
      const row = Math.floor(i / dim);
      throw new TripletkitError(
        'E_DATA',
        `Row ${row} of the ${what} has a ${Number.isNaN(v) ? 'NaN' : 'infinite'} value (column ${i % dim}).`,
        { hint: 'Check the model that produced the embeddings; drop or fix that row.' },
      );
    }
  }
}

function checkInputs(x: unknown, dim: number, labels: unknown, what: string): number {
  if (!(x instanceof Float32Array)) invalidArgument(`${what} embeddings`, 'Float32Array', x);
  if (!(labels instanceof Int32Array)) invalidArgument(`${what} labels`, 'Int32Array', labels);
  if (x.length % dim !== 0) {
    invalidArgument(`${what} embeddings.length`, `a multiple of dim (${dim})`, x.length);
  }
  const rows = x.length / dim;
  if (labels.length !== rows) {
    invalidArgument(`${what} labels.length`, `the number of embedding rows (${rows})`, labels.length);
  }
  checkFinite(x, dim, what === 'anchor' ? 'embeddings' : 'reference embeddings');
  return rows;
}

/**
 * Validates and prepares inputs. `embeddings` are row-major (`rows × dim`).
 *
 * @example
 * const p = prepare(emb, 64, labels, undefined, resolveOptions({}));
 */
export function prepare(
  embeddings: Float32Array,
  dim: number,
  labels: Int32Array,
  reference: { embeddings: Float32Array; labels: Int32Array } | undefined,
  options: ResolvedOptions,
): Prepared {
  const nA = checkInputs(embeddings, dim, labels, 'anchor');
  const nC = reference ? checkInputs(reference.embeddings, dim, reference.labels, 'reference') : nA;
  const distance = getDistance(options.distance);
  const norms = distance.needsNorms;
  const rows = (x: Float32Array) => (options.normalize ? l2Normalize(x, dim) : x);
  const anchors = rows(embeddings);
  const cands = reference ? rows(reference.embeddings) : anchors;
  // A similarity such as cosine is a plain dot product of the (normalised) rows: no norms needed.
  const anchorNorms = norms ? squaredNorms(anchors, dim) : new Float32Array(0);
  const candNorms = reference ? (norms ? squaredNorms(cands, dim) : new Float32Array(0)) : anchorNorms;

  // Dense class ids over both label sets (only equality matters).
  const ids = new Map<number, number>();
  const dense = (ls: Int32Array) => {
    const out = new Int32Array(ls.length);
    for (let i = 0; i < ls.length; i++) {
      let c = ids.get(ls[i]);
      if (c === undefined) {
        c = ids.size;
        ids.set(ls[i], c);
      }
      out[i] = c;
    }
    return out;
  };
  const anchorClass = dense(labels);
  const candClass = reference ? dense(reference.labels) : anchorClass;

  // Counting sort of candidates by class (stable → ascending rows within a class).
  const classStart = new Int32Array(ids.size + 1);
  for (let i = 0; i < nC; i++) classStart[candClass[i] + 1]++;
  for (let c = 0; c < ids.size; c++) classStart[c + 1] += classStart[c];
  const fill = classStart.slice(0, ids.size);
  const classMembers = new Int32Array(nC);
  for (let i = 0; i < nC; i++) classMembers[fill[candClass[i]]++] = i;

  const classRows = new Float32Array(nC * dim);
  const classNorms = new Float32Array(norms ? nC : 0);
  for (let r = 0; r < nC; r++) {
    const m = classMembers[r];
    classRows.set(cands.subarray(m * dim, (m + 1) * dim), r * dim);
    if (norms) classNorms[r] = candNorms[m];
  }

  return {
    dim,
    nA,
    nC,
    anchors,
    anchorNorms,
    anchorClass,
    cands,
    candNorms,
    candClass,
    classStart,
    classMembers,
    classRows,
    classNorms,
    excludeSelf: !reference,
    sign: distance.isSimilarity ? -1 : 1,
  };
}

/** Copies every array of `p` into SharedArrayBuffers (keeping the anchors = candidates aliasing) for workers. */
export function sharePrepared(p: Prepared): Prepared {
  const seen = new Map<unknown, unknown>();
  const share = <T extends Float32Array | Int32Array>(a: T): T => {
    const hit = seen.get(a);
    if (hit) return hit as T;
    const ctor = a.constructor as new (b: SharedArrayBuffer) => T;
    const out = new ctor(new SharedArrayBuffer(a.byteLength));
    out.set(a as never);
    seen.set(a, out);
    return out;
  };
  return {
    ...p,
    anchors: share(p.anchors),
    anchorNorms: share(p.anchorNorms),
    anchorClass: share(p.anchorClass),
    cands: share(p.cands),
    candNorms: share(p.candNorms),
    candClass: share(p.candClass),
    classStart: share(p.classStart),
    classMembers: share(p.classMembers),
    classRows: share(p.classRows),
    classNorms: share(p.classNorms),
  };
}

/** Per-anchor counts of positives and negatives (for the "anchors without a positive/negative" summary). */
export function anchorCounts(p: Prepared, a: number): { positives: number; negatives: number } {
  const c = p.anchorClass[a];
  const inClass = p.classStart[c + 1] - p.classStart[c];
  return { positives: inClass - (p.excludeSelf ? 1 : 0), negatives: p.nC - inClass };
}
