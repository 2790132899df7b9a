import { TripletkitError } from '@tripletkit/common';
import { distanceTile } from '../distances/distanceTile.ts';
import { getDistance } from '../distances/registry.ts';
import { squaredNorms } from '../distances/squaredNorms.ts';
import {
  checkEmbeddings,
  checkLabelled,
  type DistanceOptions,
  type Labels,
  prepare,
  resolveDistance,
} from './checks.ts';

/** Distance from every query to every class of a gallery. Row-major `[query * classes.length + c]`. */
export interface ClassDistances {
  /** The gallery's labels, ascending: column c is class `classes[c]`. */
  classes: Int32Array;
  /** Distance to the class's nearest member (similarity for cosine: the most similar member). */
  nearest: Float32Array;
  /** Gallery row of that member (ties: the smaller row). */
  nearestRow: Int32Array;
  /** Distance to the class centroid (mean of its members, L2-normalised for cosine). */
  centroid: Float32Array;
}

/**
 * "The distance from each class": per query, the nearest member and the centroid of every gallery class, computed
 * exactly through the miner's streaming distance tiles (memory O(block × tile + queries × classes)).
 *
 * @example
 * const d = classDistances(queryEmb, galleryEmb, 64, galleryLabels);
 * d.nearest[q * d.classes.length + c]; // distance of query q to class d.classes[c]
 */
export function classDistances(
  query: Float32Array,
  gallery: Float32Array,
  dim: number,
  galleryLabels: Labels,
  options: DistanceOptions = {},
): ClassDistances {
  const qRows = checkEmbeddings('query', query, dim);
  const { rows: gRows, labels } = checkLabelled('gallery', gallery, dim, 'galleryLabels', galleryLabels);
  if (gRows === 0) {
    throw new TripletkitError('E_DATA', 'The gallery is empty: there is no class to measure a distance to.', {
      hint: 'Index at least one image.',
    });
  }
  const o = resolveDistance(options);
  const sim = getDistance(o.distance).isSimilarity;
  const q = prepare(query, dim, o);
  const g = prepare(gallery, dim, o);
  const classes = Int32Array.from(new Set(labels)).sort();
  const column = new Map<number, number>();
  classes.forEach((c, i) => {
    column.set(c, i);
  });
  const C = classes.length;
  const col = Int32Array.from(labels, (l) => column.get(l) as number);
  const nearest = new Float32Array(qRows * C).fill(sim ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
  const nearestRow = new Int32Array(qRows * C).fill(-1);
  const qb = Math.max(1, Math.min(256, qRows));
  const gb = o.referenceBlock;
  const tile = new Float32Array(qb * gb);
  const qNorms = squaredNorms(q, dim);
  const gNorms = squaredNorms(g, dim);
  for (let qs = 0; qs < qRows; qs += qb) {
    const qn = Math.min(qb, qRows - qs);
    const qa = q.subarray(qs * dim, (qs + qn) * dim);
    for (let gs = 0; gs < gRows; gs += gb) {
      const gn = Math.min(gb, gRows - gs);
      const out = tile.subarray(0, qn * gn);
      distanceTile(
        qa,
        qn,
        g.subarray(gs * dim, (gs + gn) * dim),
        gn,
        dim,
        o.distance,
        out,
        qNorms.subarray(qs),
        gNorms.subarray(gs),
      );
      for (let i = 0; i < qn; i++) {
        const base = (qs + i) * C;
        for (let j = 0; j < gn; j++) {
          const d = out[i * gn + j];
          const k = base + col[gs + j];
          // Strict comparison, rows in ascending order: ties keep the smaller row.
          if (sim ? d > nearest[k] : d < nearest[k]) {
            nearest[k] = d;
            nearestRow[k] = gs + j;
          }
        }
      }
    }
  }
  const centres = new Float32Array(C * dim);
  const counts = new Float64Array(C);
  const sums = new Float64Array(C * dim);
  for (let r = 0; r < gRows; r++) {
    counts[col[r]]++;
    for (let d = 0; d < dim; d++) sums[col[r] * dim + d] += g[r * dim + d];
  }
  for (let c = 0; c < C; c++) for (let d = 0; d < dim; d++) centres[c * dim + d] = sums[c * dim + d] / counts[c];
  const centroid = new Float32Array(qRows * C);
  distanceTile(
    q,
    qRows,
    getDistance(o.distance).searchNormalizes ? prepare(centres, dim, o) : centres,
    C,
    dim,
    o.distance,
    centroid,
  );
  return { classes, nearest, nearestRow, centroid };
}
