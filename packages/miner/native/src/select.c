/*
 * Native twin of WindowSelector.scanRow (src/strategies/windowSelector.ts): same float32 values and comparisons, so
 * the same (candidate, A, B) records bit for bit. The TypeScript scan stays the reference and the fallback;
 * test/selectNative.test.ts compares the two on every strategy and distance. Instruction set picked like the tile
 * kernel's (tk_isa), each variant built from select_row.inc.
 */
#include <string.h>

#include "kernel.h"
#include "select.h"

#include "tripletkit_cpu.h"

/* ---------------- scalar ---------------- */
#define ATTR
#define PHASE1                                           \
  for (int j = 0; j < cnt; j++) {                        \
    const float x = sgn * t[j];                          \
    cand[m] = j;                                         \
    m += (x > x_lo) & (x <= x_hi) & (cls[j] != ac);      \
  }
#define SAMPLE 0
#define ROW_FN row_scalar
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#define SAMPLE 1
#define ROW_FN sample_scalar
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#undef ATTR

/* A row's thresholds copied to `pad` and followed by +∞ (never below any x), so the SIMD counts below read whole
 * registers without masks: one fewer step on each lookup's dependency chain. */
static inline void pad_row(const float *t, int np, float *pad) {
  memcpy(pad, t, (size_t)np * sizeof(float));
  for (int k = np; k < np + 16; k++) pad[k] = __builtin_inff();
}

#ifdef TK_X86
/* ---------------- AVX2: the scalar phase 1, a two-level count for rows of up to 256 positives ---------------- */
#define A2 __attribute__((target("avx2,popcnt")))

/* Last threshold of each full block of 8 (+∞ past them), 32 blocks in 4 registers. */
A2 static inline void coarse8(const float *t, int np, __m256 c[4]) {
  float v[32];
  for (int b = 0; b < 32; b++) v[b] = 8 * b + 7 < np ? t[8 * b + 7] : __builtin_inff();
  for (int r = 0; r < 4; r++) c[r] = _mm256_loadu_ps(v + 8 * r);
}

/* #{k : t[k] < x} for a sorted, +∞-padded row t of up to SELECT_FAST_MAX: the blocks of 8 below x (nc registers of
 * them), then the straddling block. */
A2 static inline int below8(const float *t, const __m256 c[4], int nc, __m256 xv) {
  int blocks = 0;
  for (int r = 0; r < nc; r++) blocks += __builtin_popcount(_mm256_movemask_ps(_mm256_cmp_ps(c[r], xv, _CMP_LT_OQ)));
  const int f = 8 * blocks;
  return f + __builtin_popcount(_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(t + f), xv, _CMP_LT_OQ)));
}

/* lut8[mask] = the positions of mask's set bits, in order: the AVX2 stand-in for AVX-512's compress. */
static int32_t lut8[256][8];
/* Filled when the addon is loaded, before any thread can read it. */
__attribute__((constructor)) static void init_lut8(void) {
  for (int mask = 0; mask < 256; mask++) {
    int w = 0;
    for (int l = 0; l < 8; l++)
      if (mask & (1 << l)) lut8[mask][w++] = l;
  }
}

#define ATTR A2
#undef PHASE1
/* Compaction 8 at a time: kept lanes' indices from the table, all 8 stored (cand has spare slots); scalar tail. */
#define PHASE1                                                                                        \
  {                                                                                                   \
    const __m256 lo_v = _mm256_set1_ps(x_lo), hi_v = _mm256_set1_ps(x_hi), sg = _mm256_set1_ps(sgn);  \
    const __m256i ac_v = _mm256_set1_epi32(ac);                                                       \
    int j = 0;                                                                                        \
    for (; j + 8 <= cnt; j += 8) {                                                                    \
      const __m256 x = _mm256_mul_ps(sg, _mm256_loadu_ps(t + j));                                     \
      const __m256 in_window = _mm256_and_ps(_mm256_cmp_ps(x, lo_v, _CMP_GT_OQ), _mm256_cmp_ps(x, hi_v, _CMP_LE_OQ)); \
      const __m256i same = _mm256_cmpeq_epi32(_mm256_loadu_si256((const __m256i *)(cls + j)), ac_v);  \
      const int keep = _mm256_movemask_ps(_mm256_andnot_ps(_mm256_castsi256_ps(same), in_window));    \
      const __m256i idx = _mm256_add_epi32(_mm256_set1_epi32(j), _mm256_loadu_si256((const __m256i *)lut8[keep])); \
      _mm256_storeu_si256((__m256i *)(cand + m), idx);                                                \
      m += __builtin_popcount(keep);                                                                  \
    }                                                                                                 \
    for (; j < cnt; j++) {                                                                            \
      const float x = sgn * t[j];                                                                     \
      cand[m] = j;                                                                                    \
      m += (x > x_lo) & (x <= x_hi) & (cls[j] != ac);                                                 \
    }                                                                                                 \
  }
#define FAST_SETUP                                                      \
  const int fast = np <= SELECT_FAST_MAX;                                           \
  const int nc = (np / 8 + 7) / 8 + 0; /* registers holding full blocks */ \
  __m256 coarse_a[4], coarse_b[4];                                      \
  float pad_a[SELECT_FAST_MAX + 16], pad_b[SELECT_FAST_MAX + 16];       \
  if (fast && has_hi) pad_row(ta + s, np, pad_a), coarse8(pad_a, np, coarse_a); \
  if (fast && has_lo) pad_row(tb + s, np, pad_b), coarse8(pad_b, np, coarse_b)
#define FAST_LOOKUP                                                     \
  const __m256 xv = _mm256_set1_ps(x);                                  \
  if (has_hi) A = s + below8(pad_a, coarse_a, nc, xv);                  \
  if (has_lo) B = s + below8(pad_b, coarse_b, nc, xv)
#define SAMPLE 0
#define ROW_FN row_avx2
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#define SAMPLE 1
#define ROW_FN sample_avx2
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#undef ATTR
#undef FAST_SETUP
#undef FAST_LOOKUP
#endif
#undef PHASE1

#ifdef TK_AVX512
/* ---------------- AVX-512 ---------------- */
#define A5 __attribute__((target("avx512f,popcnt")))

/* Last threshold of each full block of 16 (+∞ past them): #{b : coarse[b] < x} = full blocks entirely below x. */
A5 static inline __m512 coarse16(const float *t, int np) {
  float c[16];
  for (int b = 0; b < 16; b++) c[b] = 16 * b + 15 < np ? t[16 * b + 15] : __builtin_inff();
  return _mm512_loadu_ps(c);
}

/* #{k : t[k] < x} for a sorted, +∞-padded row t of up to SELECT_FAST_MAX: the blocks below x, then the one block that
 * straddles it. */
A5 static inline int below16(const float *t, __m512 coarse, __m512 xv) {
  const int f = 16 * __builtin_popcount(_mm512_cmp_ps_mask(coarse, xv, _CMP_LT_OQ));
  return f + __builtin_popcount(_mm512_cmp_ps_mask(_mm512_loadu_ps(t + f), xv, _CMP_LT_OQ));
}

#define ATTR A5
/* Compaction 16 at a time: compress the kept lanes' indices to the front of a register, store all 16 (cand has 16
 * spare slots), advance by how many were kept. */
#define PHASE1                                                                                         \
  {                                                                                                    \
    const __m512 lo_v = _mm512_set1_ps(x_lo), hi_v = _mm512_set1_ps(x_hi), sg = _mm512_set1_ps(sgn);   \
    __m512i idx = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);               \
    const __m512i step = _mm512_set1_epi32(16), ac_v = _mm512_set1_epi32(ac);                         \
    for (int j = 0; j < cnt; j += 16) {                                                                \
      const __mmask16 valid = cnt - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (cnt - j)) - 1);  \
      const __m512 x = _mm512_mul_ps(sg, _mm512_maskz_loadu_ps(valid, t + j));                         \
      const __mmask16 in_window =                                                                      \
          _mm512_mask_cmp_ps_mask(_mm512_mask_cmp_ps_mask(valid, x, lo_v, _CMP_GT_OQ), x, hi_v, _CMP_LE_OQ); \
      const __mmask16 keep = _mm512_mask_cmpneq_epi32_mask(in_window, _mm512_maskz_loadu_epi32(in_window, cls + j), ac_v); \
      _mm512_storeu_si512((void *)(cand + m), _mm512_maskz_compress_epi32(keep, idx));                 \
      m += __builtin_popcount(keep);                                                                   \
      idx = _mm512_add_epi32(idx, step);                                                               \
    }                                                                                                  \
  }
#define FAST_SETUP                                                                 \
  const int fast = np <= SELECT_FAST_MAX;                                          \
  float pad_a[SELECT_FAST_MAX + 16], pad_b[SELECT_FAST_MAX + 16];                  \
  __m512 coarse_a = _mm512_setzero_ps(), coarse_b = _mm512_setzero_ps();           \
  if (fast && has_hi) pad_row(ta + s, np, pad_a), coarse_a = coarse16(pad_a, np); \
  if (fast && has_lo) pad_row(tb + s, np, pad_b), coarse_b = coarse16(pad_b, np)
#define FAST_LOOKUP                                    \
  const __m512 xv = _mm512_set1_ps(x);                 \
  if (has_hi) A = s + below16(pad_a, coarse_a, xv);    \
  if (has_lo) B = s + below16(pad_b, coarse_b, xv)
#define SAMPLE 0
#define ROW_FN row_avx512
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#define SAMPLE 1
#define ROW_FN sample_avx512
#include "select_row.inc"
#undef ROW_FN
#undef SAMPLE
#undef ATTR
#undef PHASE1
#undef FAST_SETUP
#undef FAST_LOOKUP
#endif

typedef int (*row_fn)(const tk_select_in *, int, int, int32_t *, tk_row_out *);

static row_fn select_fn = NULL, sample_fn = NULL;

/* Idempotent: a race between threads only stores the same pointers twice. */
static void pick(void) {
  const char *isa = tk_isa();
  row_fn sel = row_scalar, smp = sample_scalar;
#ifdef TK_X86
  if (strcmp(isa, "avx2") == 0) sel = row_avx2, smp = sample_avx2;
#endif
#ifdef TK_AVX512
  if (strcmp(isa, "avx512") == 0) sel = row_avx512, smp = sample_avx512;
#endif
  (void)isa;
  sample_fn = smp;
  select_fn = sel;
}

int tk_select_fast_max(void) {
  if (!select_fn || !sample_fn) pick();
  return select_fn == row_scalar ? 0 : SELECT_FAST_MAX;
}

int tk_select_row(const tk_select_in *in, int i, int j0, int32_t *cand, tk_row_out *out) {
  if (!select_fn || !sample_fn) pick();
  return select_fn(in, i, j0, cand, out);
}

int tk_sample_row(const tk_select_in *in, int i, int j0, int32_t *cand, tk_row_out *out) {
  if (!select_fn || !sample_fn) pick();
  return sample_fn(in, i, j0, cand, out);
}
