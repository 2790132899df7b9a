/*
 * tripletkit trainer native kernels: single-precision GEMM (C = A·B or C = Aᵀ·B, row-major, optional accumulate)
 * and NHWC im2col, called by the wasm backend's convolution kernels on the wasm heap (its ArrayBuffer is passed in,
 * so no copies). One thread: the trainer runs one worker thread per core.
 *
 * The micro-kernel is an outer product over the reduction index: for each k, MR scalars of A are broadcast and
 * multiplied into NR columns of B. A's element (i, k) is at a[i*sai + k*sak], so the same kernel serves A and Aᵀ
 * (the filter gradient needs colsᵀ·dy) without a transpose. K is blocked so a KC×NR panel of B stays in cache.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* TK_X86 / TK_AVX512: which intrinsics this build may use; the isa argument says which this CPU runs. */
#include "tripletkit_cpu.h"

#define KC 256

static void block_scalar(int mr, int nr, int kc, const float *a, long sai, long sak, const float *b, long ldb,
                         float *c, long ldc) {
  for (int i = 0; i < mr; i++) {
    for (int j = 0; j < nr; j++) {
      float s = 0;
      for (int k = 0; k < kc; k++) s += a[i * sai + k * sak] * b[k * ldb + j];
      c[i * ldc + j] += s;
    }
  }
}

#if TK_AVX512
/* Helpers of the two AVX-512 micro-kernels below (sgemm and the filter gradient): always inlined into them. */
#define TK_AVX512_INLINE __attribute__((target("avx512f"), always_inline)) static inline

/* Mask of the first n of 16 lanes (all for n ≥ 16, none for n ≤ 0): a tile's columns 0–15 are lanes16(nr), 16–31
 * lanes16(nr − 16). */
TK_AVX512_INLINE __mmask16 lanes16(int n) {
  return n >= 16 ? 0xFFFF : n > 0 ? (__mmask16)((1u << n) - 1) : 0;
}

/* One step of the outer product: acc[i] += a[i·sai] · (b0, b1) for the tile's rows i < mr. */
TK_AVX512_INLINE void fma_rows512(int mr, const float *a, long sai, __m512 b0, __m512 b1, __m512 (*acc)[2]) {
  for (int i = 0; i < mr; i++) {
    __m512 av = _mm512_set1_ps(a[i * sai]);
    acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
    acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
  }
}

/* c[i][0 … nr) += acc[i] for the tile's rows i < mr, masked to its columns. */
TK_AVX512_INLINE void add_rows512(int mr, float *c, long ldc, __mmask16 m0, __mmask16 m1, __m512 (*acc)[2]) {
  for (int i = 0; i < mr; i++) {
    float *ci = c + i * ldc;
    _mm512_mask_storeu_ps(ci, m0, _mm512_add_ps(_mm512_maskz_loadu_ps(m0, ci), acc[i][0]));
    if (m1) _mm512_mask_storeu_ps(ci + 16, m1, _mm512_add_ps(_mm512_maskz_loadu_ps(m1, ci + 16), acc[i][1]));
  }
}

/* 8 rows × 32 columns (16 zmm accumulators), masked for the last columns. */
__attribute__((target("avx512f"))) static void block_avx512(int mr, int nr, int kc, const float *a, long sai, long sak,
                                                            const float *b, long ldb, float *c, long ldc) {
  __mmask16 m0 = lanes16(nr), m1 = lanes16(nr - 16);
  __m512 acc[12][2];
  for (int i = 0; i < 12; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  if (mr == 8) {
    for (int k = 0; k < kc; k++) {
      const float *bk = b + k * ldb;
      __m512 b0 = _mm512_maskz_loadu_ps(m0, bk);
      __m512 b1 = _mm512_maskz_loadu_ps(m1, bk + 16);
      const float *ak = a + k * sak;
#define ROW(i)                                                   \
  {                                                              \
    __m512 av = _mm512_set1_ps(ak[(i) * sai]);                   \
    acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);              \
    acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);              \
  }
      ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
    }
  } else {
    for (int k = 0; k < kc; k++) {
      const float *bk = b + k * ldb;
      __m512 b0 = _mm512_maskz_loadu_ps(m0, bk);
      __m512 b1 = _mm512_maskz_loadu_ps(m1, bk + 16);
      fma_rows512(mr, a + k * sak, sai, b0, b1, acc);
    }
  }
  add_rows512(mr, c, ldc, m0, m1, acc);
}

#endif

#if TK_X86
/* 6 rows × 16 columns (two ymm per row); partial column blocks go to the scalar kernel. */
__attribute__((target("avx2,fma"))) static void block_avx2(int mr, int nr, int kc, const float *a, long sai, long sak,
                                                           const float *b, long ldb, float *c, long ldc) {
  if (nr != 16) {
    block_scalar(mr, nr, kc, a, sai, sak, b, ldb, c, ldc);
    return;
  }
  __m256 acc[6][2];
  for (int i = 0; i < 6; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const float *bk = b + k * ldb;
    __m256 b0 = _mm256_loadu_ps(bk);
    __m256 b1 = _mm256_loadu_ps(bk + 8);
    const float *ak = a + k * sak;
    for (int i = 0; i < mr; i++) {
      __m256 av = _mm256_set1_ps(ak[i * sai]);
      acc[i][0] = _mm256_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(av, b1, acc[i][1]);
    }
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + i * ldc;
    _mm256_storeu_ps(ci, _mm256_add_ps(_mm256_loadu_ps(ci), acc[i][0]));
    _mm256_storeu_ps(ci + 8, _mm256_add_ps(_mm256_loadu_ps(ci + 8), acc[i][1]));
  }
}
#endif

/*
 * C[M×N] (+)= op(A)·B. transA = 0: A is M×K (lda); transA = 1: A is K×M (lda), i.e. C = Aᵀ·B. B is K×N (ldb).
 */
void tk_sgemm(int isa, int transA, int M, int N, int K, const float *a, long lda, const float *b, long ldb, float *c,
              long ldc, int accumulate) {
  if (!accumulate)
    for (int i = 0; i < M; i++) memset(c + (long)i * ldc, 0, sizeof(float) * N);
  long sai = transA ? 1 : lda;
  long sak = transA ? lda : 1;
  int MR = isa == TK_ISA_AVX512 ? 8 : isa == TK_ISA_AVX2 ? 6 : 4;
  int NR = isa == TK_ISA_AVX512 ? 32 : isa == TK_ISA_AVX2 ? 16 : 16;
  for (int n0 = 0; n0 < N; n0 += NR) {
    int nr = N - n0 < NR ? N - n0 : NR;
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = K - k0 < KC ? K - k0 : KC;
      const float *bp = b + (long)k0 * ldb + n0;
      for (int m0 = 0; m0 < M; m0 += MR) {
        int mr = M - m0 < MR ? M - m0 : MR;
        const float *ap = a + (long)m0 * sai + (long)k0 * sak;
        float *cp = c + (long)m0 * ldc + n0;
#if TK_AVX512
        if (isa == TK_ISA_AVX512) {
          block_avx512(mr, nr, kc, ap, sai, sak, bp, ldb, cp, ldc);
          continue;
        }
#endif
#if TK_X86
        if (isa == TK_ISA_AVX2) {
          block_avx2(mr, nr, kc, ap, sai, sak, bp, ldb, cp, ldc);
          continue;
        }
#endif
        block_scalar(mr, nr, kc, ap, sai, sak, bp, ldb, cp, ldc);
      }
    }
  }
}

/*
 * im2col of an NHWC tensor: out[((b·OH + oy)·OW + ox), (fh·FW + fw)·C + c] = x[b, oy·sh + fh·dh − top,
 * ox·sw + fw·dw − left, c], 0 outside. Each tap copies C contiguous floats.
 */
void tk_im2col(const float *x, int B, int H, int W, int C, int FH, int FW, int sh, int sw, int dh, int dw, int top,
               int left, int OH, int OW, float *out) {
  long row = (long)FH * FW * C;
  for (int b = 0; b < B; b++) {
    const float *xb = x + (long)b * H * W * C;
    for (int oy = 0; oy < OH; oy++) {
      for (int ox = 0; ox < OW; ox++) {
        float *o = out + (((long)b * OH + oy) * OW + ox) * row;
        for (int fh = 0; fh < FH; fh++) {
          int iy = oy * sh + fh * dh - top;
          for (int fw = 0; fw < FW; fw++) {
            int ix = ox * sw + fw * dw - left;
            float *dst = o + ((long)fh * FW + fw) * C;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W)
              memset(dst, 0, sizeof(float) * C);
            else
              memcpy(dst, xb + ((long)iy * W + ix) * C, sizeof(float) * C);
          }
        }
      }
    }
  }
}

/*
 * Forward NHWC convolution as an implicit GEMM (no im2col matrix): the input is zero-padded once, then for every run
 * of MR output pixels along a row and every filter tap, the MR input pixels form an MR×C block of A with row stride
 * sw·C, multiplied into the tap's C×Co slice of the filter and accumulated into the outputs (still in L1).
 * Returns 0, or -1 when the padded copy cannot be allocated.
 */
/* x zero-padded to [B, Hp, Wp, C], the rows/columns a convolution reads (malloc'd; NULL when out of memory). */
static float *pad_input(const float *x, int B, int H, int W, int C, int Hp, int Wp, int top, int left) {
  float *xp = malloc(sizeof(float) * (size_t)B * Hp * Wp * C);
  if (!xp) return NULL;
  for (int b = 0; b < B; b++) {
    for (int y = 0; y < Hp; y++) {
      float *dst = xp + (((long)b * Hp + y) * Wp) * C;
      int iy = y - top;
      if (iy < 0 || iy >= H) {
        memset(dst, 0, sizeof(float) * (size_t)Wp * C);
        continue;
      }
      for (int xx = 0; xx < Wp; xx++) {
        int ix = xx - left;
        if (ix < 0 || ix >= W)
          memset(dst + (long)xx * C, 0, sizeof(float) * C);
        else
          memcpy(dst + (long)xx * C, x + (((long)b * H + iy) * W + ix) * C, sizeof(float) * C);
      }
    }
  }
  return xp;
}

int tk_conv2d(int isa, const float *x, int B, int H, int W, int C, const float *w, int FH, int FW, int Co, int sh, int sw,
              int dh, int dw, int top, int left, int OH, int OW, float *out) {
  int Hp = (OH - 1) * sh + (FH - 1) * dh + 1;
  int Wp = (OW - 1) * sw + (FW - 1) * dw + 1;
  float *xp = pad_input(x, B, H, W, C, Hp, Wp, top, left);
  if (!xp) return -1;
  memset(out, 0, sizeof(float) * (size_t)B * OH * OW * Co);
  int MR = isa == TK_ISA_AVX512 ? 8 : isa == TK_ISA_AVX2 ? 6 : 4;
  int NR = isa == TK_ISA_AVX512 ? 32 : 16;
  for (int b = 0; b < B; b++) {
    for (int oy = 0; oy < OH; oy++) {
      for (int ox0 = 0; ox0 < OW; ox0 += MR) {
        int mr = OW - ox0 < MR ? OW - ox0 : MR;
        float *cp = out + (((long)b * OH + oy) * OW + ox0) * Co;
        for (int n0 = 0; n0 < Co; n0 += NR) {
          int nr = Co - n0 < NR ? Co - n0 : NR;
          for (int fh = 0; fh < FH; fh++) {
            for (int fw = 0; fw < FW; fw++) {
              const float *ap = xp + (((long)b * Hp + oy * sh + fh * dh) * Wp + (long)ox0 * sw + fw * dw) * C;
              const float *bp = w + ((long)(fh * FW + fw) * C) * Co + n0;
              for (int k0 = 0; k0 < C; k0 += KC) {
                int kc = C - k0 < KC ? C - k0 : KC;
#if TK_AVX512
                if (isa == TK_ISA_AVX512) {
                  block_avx512(mr, nr, kc, ap + k0, (long)sw * C, 1, bp + (long)k0 * Co, Co, cp + n0, Co);
                  continue;
                }
#endif
#if TK_X86
                if (isa == TK_ISA_AVX2) {
                  block_avx2(mr, nr, kc, ap + k0, (long)sw * C, 1, bp + (long)k0 * Co, Co, cp + n0, Co);
                  continue;
                }
#endif
                block_scalar(mr, nr, kc, ap + k0, (long)sw * C, 1, bp + (long)k0 * Co, Co, cp + n0, Co);
              }
            }
          }
        }
      }
    }
  }
  free(xp);
  return 0;
}

#if TK_AVX512
/* dw[i][0..nr) += Σ_j a[base[j] + i] · g[j·ldg + 0..nr) for i < mr (≤ 8): one filter-gradient tile over pc pixels. */
__attribute__((target("avx512f"))) static void fgrad_avx512(int mr, int nr, int pc, const float *a, const long *base,
                                                            const float *g, long ldg, float *dw, long lddw) {
  __mmask16 m0 = lanes16(nr), m1 = lanes16(nr - 16);
  __m512 acc[8][2];
  for (int i = 0; i < 8; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int j = 0; j < pc; j++) {
    const float *aj = a + base[j];
    const float *gj = g + j * ldg;
    __m512 b0 = _mm512_maskz_loadu_ps(m0, gj);
    __m512 b1 = _mm512_maskz_loadu_ps(m1, gj + 16);
    fma_rows512(mr, aj, 1, b0, b1, acc);
  }
  add_rows512(mr, dw, lddw, m0, m1, acc);
}
#endif

/*
 * Filter gradient of an NHWC convolution without an im2col matrix: pixels are taken in chunks of 256 (their input and
 * output-gradient rows stay in L2), and for each chunk every (tap, 8 input channels, 32 output channels) tile
 * accumulates Σ x·dy in registers. AVX-512 only (returns -2 otherwise: the caller uses im2col + GEMM); -1 = no memory.
 */
int tk_conv2d_filter_grad(int isa, const float *x, int B, int H, int W, int C, const float *dy, int FH, int FW, int Co,
                          int sh, int sw, int dh, int dw, int top, int left, int OH, int OW, float *dwout) {
#if TK_AVX512
  if (isa != TK_ISA_AVX512) return -2;
  int Hp = (OH - 1) * sh + (FH - 1) * dh + 1;
  int Wp = (OW - 1) * sw + (FW - 1) * dw + 1;
  float *xp = pad_input(x, B, H, W, C, Hp, Wp, top, left);
  if (!xp) return -1;
  enum { PC = 256 };
  long base[PC];
  memset(dwout, 0, sizeof(float) * (size_t)FH * FW * C * Co);
  long P = (long)B * OH * OW;
  for (long p0 = 0; p0 < P; p0 += PC) {
    int pc = P - p0 < PC ? (int)(P - p0) : PC;
    for (int j = 0; j < pc; j++) {
      long p = p0 + j;
      long b = p / ((long)OH * OW);
      int r = (int)(p % ((long)OH * OW));
      int oy = r / OW, ox = r % OW;
      base[j] = ((b * Hp + (long)oy * sh) * Wp + (long)ox * sw) * C;
    }
    const float *g = dy + p0 * Co;
    for (int fh = 0; fh < FH; fh++) {
      for (int fw = 0; fw < FW; fw++) {
        const float *xt = xp + ((long)fh * dh * Wp + (long)fw * dw) * C;
        float *dt = dwout + (long)(fh * FW + fw) * C * Co;
        for (int c0 = 0; c0 < C; c0 += 8) {
          int mr = C - c0 < 8 ? C - c0 : 8;
          for (int n0 = 0; n0 < Co; n0 += 32) {
            int nr = Co - n0 < 32 ? Co - n0 : 32;
            fgrad_avx512(mr, nr, pc, xt + c0, base, g + n0, Co, dt + (long)c0 * Co + n0, Co);
          }
        }
      }
    }
  }
  free(xp);
  return 0;
#else
  (void)isa; (void)x; (void)B; (void)H; (void)W; (void)C; (void)dy; (void)FH; (void)FW; (void)Co; (void)sh; (void)sw;
  (void)dh; (void)dw; (void)top; (void)left; (void)OH; (void)OW; (void)dwout;
  return -2;
#endif
}

/* Column sums of a row-major n×c matrix (bias gradients), float64 accumulation like the JS version. */
void tk_column_sums(const float *x, long n, int c, float *out) {
  double acc[c > 0 ? c : 1];
  for (int j = 0; j < c; j++) acc[j] = 0;
  for (long i = 0; i < n; i++) {
    const float *r = x + i * c;
    for (int j = 0; j < c; j++) acc[j] += r[j];
  }
  for (int j = 0; j < c; j++) out[j] = (float)acc[j];
}

/* 2×2/stride-2 max-pool gradient (NHWC, windows tile the input): first strict maximum in row-major order gets dy. */
void tk_maxpool2x2_grad(const float *x, const float *dy, float *dx, int B, int OH, int OW, int C) {
  long W = 2L * OW;
  long g = 0;
  for (int b = 0; b < B; b++) {
    for (int oy = 0; oy < OH; oy++) {
      for (int ox = 0; ox < OW; ox++, g += C) {
        long p00 = (((long)b * 2 * OH + 2L * oy) * W + 2L * ox) * C;
        long p01 = p00 + C, p10 = p00 + W * C, p11 = p10 + C;
        for (int c = 0; c < C; c++) {
          float v00 = x[p00 + c], v01 = x[p01 + c], v10 = x[p10 + c], v11 = x[p11 + c];
          int k = v00 > -__builtin_inff() ? 0 : -1;
          float m = k == 0 ? v00 : -__builtin_inff();
          if (v01 > m) { m = v01; k = 1; }
          if (v10 > m) { m = v10; k = 2; }
          if (v11 > m) k = 3;
          float d = dy[g + c];
          dx[p00 + c] = k == 0 ? d : 0;
          dx[p01 + c] = k == 1 ? d : 0;
          dx[p10 + c] = k == 2 ? d : 0;
          dx[p11 + c] = k == 3 ? d : 0;
        }
      }
    }
  }
}

/* out[i·c + j] = x[i·c + j] + bias[j] (bias addition, vectorised by the compiler). */
void tk_bias_add(const float *x, const float *bias, long n, int c, float *out) {
  for (long i = 0; i < n; i++) {
    const float *xi = x + i * c;
    float *oi = out + i * c;
    for (int j = 0; j < c; j++) oi[j] = xi[j] + bias[j];
  }
}

/* ReLU gradient: dx = dy where x > 0, else 0. */
void tk_relu_grad(const float *x, const float *dy, long n, float *dx) {
  for (long i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0.0f;
}
