/* Window selection of the margin strategies (see src/strategies/windowSelector.ts, whose scanRow it mirrors). */
#ifndef TRIPLETKIT_SELECT_H
#define TRIPLETKIT_SELECT_H
#include <stddef.h>
#include <stdint.h>

/* Everything one anchor block's selection reads; arrays are owned by the JavaScript caller. */
typedef struct {
  const float *tile; /* rows × cnt raw values (distance or similarity) */
  int cnt;           /* candidates in the tile */
  int c0;            /* row of the tile's first candidate */
  int sign;          /* +1 distances, −1 similarities */
  int has_lo, has_hi;
  const int32_t *cand_class; /* class of each candidate row (at least c0 + cnt) */
  const int32_t *row_class;  /* class of each anchor row of the block */
  const int32_t *start;      /* sorted positives of row i: start[i] … start[i+1]−1 */
  const float *ta, *tb;      /* exact float32 thresholds per sorted positive */
  const int32_t *tab_start, *tab_a, *tab_b;
  const double *gmin, *scale;
} tk_select_in;

/* Where one row's kept candidates go: records (select mode) or a running item count (sample mode). */
typedef struct {
  int32_t *n, *a, *b; /* select: records (candidate row, A, B) … */
  float *x;           /* … and the candidate's canonical value */
  double seen;        /* sample: items seen so far (in: before this row's candidates; out: after, or before the event) */
  double next;        /* sample: the first item index the reservoir accepts */
  int32_t ev_n, ev_a, ev_items, resume; /* sample: the event's candidate, A, B − A, and where to resume the row */
  float ev_x;
} tk_row_out;

/*
 * Select mode: for anchor row i, every candidate j ≥ j0 of the tile, not of the anchor's class, that forms a kept
 * triplet with the positives at sorted entries [A, B) (A < B), in ascending j, written as (c0 + j, x, A, B) at
 * out->n/x/a/b[0 …]. Returns the number written (≤ cnt − j0).
 * Sample mode: the same candidates in the same order, each adding B − A items to out->seen, until one ends at or past
 * out->next (an event for the reservoir sampler): returns 1 with it in out->ev_* (out->seen = items before it),
 * or 0 at the end of the row.
 * Both return −1 when a table entry is out of range (the caller's arrays are inconsistent). `cand` is scratch for
 * cnt + 16 ints.
 */
/* Rows of up to this many positives find A and B by SIMD counting (no bucket table read) in this build and CPU's
 * variant; 0 when it always reads the table. */
int tk_select_fast_max(void);

/* The SIMD count's limit (AVX2 and AVX-512 variants). */
#define SELECT_FAST_MAX 256

int tk_select_row(const tk_select_in *in, int i, int j0, int32_t *cand, tk_row_out *out);
int tk_sample_row(const tk_select_in *in, int i, int j0, int32_t *cand, tk_row_out *out);

#endif
