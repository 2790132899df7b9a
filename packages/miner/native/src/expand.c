/*
 * Output expansion of the uncapped margin strategies. The dense loop stores every record unconditionally and advances
 * by the range test (no unpredictable branch); the last positive before the end of the output uses an exact loop so
 * that no store leaves the caller's arrays.
 */
#include "expand.h"

static size_t dense_positive(const tk_expand_in *in, int k, const tk_expand_out *out, size_t w, size_t c) {
  const int32_t *neg = in->neg, *lo = in->lo, *hi = in->hi;
  const float *x = in->x;
  const float sign = in->sign;
  int32_t *on = out->negatives;
  float *od = out->d_an;
  size_t o = w;
  const int n = in->nrec;
  if (w + c < out->len) {
    for (int t = 0; t < n; t++) {
      on[o] = neg[t];
      od[o] = sign * x[t];
      o += (size_t)((lo[t] <= k) & (k < hi[t]));
    }
  } else {
    for (int t = 0; t < n; t++) {
      if (lo[t] <= k && k < hi[t]) {
        on[o] = neg[t];
        od[o] = sign * x[t];
        o++;
      }
    }
  }
  const int32_t a = in->a, p = in->row[k];
  const float dap = sign * in->val[k];
  for (size_t i = w; i < w + c; i++) {
    out->anchors[i] = a;
    out->positives[i] = p;
    out->d_ap[i] = dap;
  }
  return w + c;
}

int64_t tk_expand_anchor(const tk_expand_in *in, int q0, int q1, const tk_expand_out *out, size_t w, int32_t *scratch) {
  const int s = in->s, np = in->np, n = in->nrec;
  int32_t *by_row = scratch, *count = scratch + np + 1, *at = scratch + 2 * (np + 1);
  for (int k = 0; k <= np; k++) count[k] = 0;
  for (int k = 0; k < np; k++) {
    const int q = in->slot[s + k];
    if (q < 0 || q >= np) return -1;
    by_row[q] = s + k;
  }
  size_t triplets = 0;
  for (int t = 0; t < n; t++) {
    const int l = in->lo[t] - s, h = in->hi[t] - s;
    if (l < 0 || h > np || l >= h) return -1;
    count[l]++;
    count[h]--;
    triplets += (size_t)(h - l);
  }
  for (int k = 1; k < np; k++) count[k] += count[k - 1];
  size_t need = 0;
  for (int q = q0; q < q1; q++) need += (size_t)count[by_row[q] - s];
  if (w + need > out->len) return -1;
  const int whole = q0 == 0 && q1 == np;
  if (!whole || (size_t)np * (size_t)n <= 4 * triplets || triplets > 0x7fffffff) {
    for (int q = q0; q < q1; q++) {
      const int k = by_row[q];
      const size_t c = (size_t)count[k - s];
      if (c > 0) w = dense_positive(in, k, out, w, c);
    }
    return (int64_t)w;
  }
  /* Sparse ranges among many positives: each positive's run, then each record's triplets at their slots. */
  size_t o = w;
  for (int q = 0; q < np; q++) {
    const int k = by_row[q];
    const int32_t c = count[k - s];
    at[k - s] = (int32_t)(o - w);
    const int32_t p = in->row[k];
    const float dap = in->sign * in->val[k];
    for (int32_t i = 0; i < c; i++) {
      out->anchors[o + i] = in->a;
      out->positives[o + i] = p;
      out->d_ap[o + i] = dap;
    }
    o += (size_t)c;
  }
  for (int t = 0; t < n; t++) {
    const int32_t ng = in->neg[t];
    const float v = in->sign * in->x[t];
    for (int k = in->lo[t] - s; k < in->hi[t] - s; k++) {
      const size_t i = w + (size_t)at[k]++;
      out->negatives[i] = ng;
      out->d_an[i] = v;
    }
  }
  return (int64_t)(w + triplets);
}
