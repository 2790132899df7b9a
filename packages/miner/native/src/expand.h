/* Expansion of one anchor's records into triplet rows (see src/strategies/expandRecords.ts, which it mirrors). */
#ifndef TRIPLETKIT_EXPAND_H
#define TRIPLETKIT_EXPAND_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
  const int32_t *neg, *lo, *hi; /* records: negative row, range [lo, hi) of sorted positive entries */
  const float *x;               /* records: canonical value */
  int nrec;
  const int32_t *row, *slot; /* the block's sorted positives (entries s … s+np−1) */
  const float *val;
  int s, np;
  int32_t a;  /* anchor row */
  float sign; /* +1 distances, −1 similarities */
} tk_expand_in;

typedef struct {
  int32_t *anchors, *positives, *negatives;
  float *d_ap, *d_an;
  size_t len; /* room in every column */
} tk_expand_out;

/*
 * Writes the triplets of the anchor's positives q0 … q1−1 (in row order) at out[w …] and returns the position after
 * them, or −1 when they do not fit or a record's range is out of bounds. With the whole anchor (q0 = 0, q1 = np) and
 * sparse ranges, each triplet is placed straight at its slot. `scratch` holds 3·(np + 1) ints.
 */
int64_t tk_expand_anchor(const tk_expand_in *in, int q0, int q1, const tk_expand_out *out, size_t w, int32_t *scratch);

#endif
