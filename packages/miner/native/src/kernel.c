/*
 * The distance tile kernel: out = epilogue(A·Bᵀ) computed GEMM-style: B packed into k-major panels of NR columns,
 * A read in place MR rows at a time, an MR×NR register block of FMA accumulators per micro-kernel call, the distance
 * epilogue applied in registers before the store. Single-threaded; the miner parallelises with worker threads.
 *
 * DETERMINISM (the reason for most choices here): every output element is
 *     acc = 0; for k = 0 … dim-1: acc = fma(a[i][k], b[j][k], acc);
 * followed by the same float epilogue, whichever micro-kernel (AVX-512, AVX2 or scalar), whichever lane, and whether
 * the element lies in a full register block or a zero-padded edge block. FMA, add, sub, max and sqrt are all
 * correctly rounded IEEE operations, so vector and scalar code give bit-identical results. The build uses
 * -ffp-contract=off so the compiler may not fuse or reorder anything on its own.
 */
#include "kernel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* TK_X86 / TK_AVX512 (tripletkit_cpu.h): which intrinsics this build may use; tk_cpu_isa() picks at run time. */
#include "tripletkit_cpu.h"

#define ALIGN 64

static int grow(float **p, size_t *cap, size_t need) {
  if (*cap >= need) return 0;
  free(*p);
  size_t bytes = ((need * sizeof(float) + ALIGN - 1) / ALIGN) * ALIGN;
  *p = (float *)aligned_alloc(ALIGN, bytes);
  *cap = *p ? need : 0;
  return *p ? 0 : -1;
}

void tk_buffers_free(tk_buffers *buf) {
  free(buf->pa);
  free(buf->pb);
  free(buf->na);
  free(buf->nb);
  memset(buf, 0, sizeof *buf);
}

/* Scalar epilogue; the vector ones below perform the same operations in the same order. */
static inline float finish(int kind, float dot, float na, float nb) {
  if (kind == TK_COSINE) return dot;
  float d = (na + nb) - (dot + dot);
  d = d < 0.0f ? 0.0f : d; /* same as max_ps(0, d): NaN and -0 pass through */
  return kind == TK_EUCLIDEAN ? sqrtf(d) : d;
}

/* Copies the valid mr×nr corner of a full register block (used for edge blocks). */
static inline void copy_block(const float *tmp, int ldt, float *out, size_t ldo, int mr, int nr) {
  for (int r = 0; r < mr; r++) memcpy(out + r * ldo, tmp + r * ldt, (size_t)nr * sizeof(float));
}

/* ---------------- scalar (any CPU) ---------------- */
#define S_MR 4
#define S_NR 4
static void mk_scalar(int dim, const float *pa, const float *pb, int kind, const float *na, const float *nb,
                      float *out, size_t ldo, int mr, int nr) {
  float acc[S_MR][S_NR] = {{0}};
  for (int k = 0; k < dim; k++)
    for (int r = 0; r < S_MR; r++)
      for (int c = 0; c < S_NR; c++) acc[r][c] = fmaf(pa[(size_t)r * dim + k], pb[k * S_NR + c], acc[r][c]);
  for (int r = 0; r < mr; r++)
    for (int c = 0; c < nr; c++) out[r * ldo + c] = finish(kind, acc[r][c], na[r], nb[c]);
}

#ifdef TK_X86
/* ---------------- AVX2 + FMA: 6×16 block, 12 ymm accumulators ---------------- */
#define A2_MR 6
#define A2_NR 16
__attribute__((target("avx2,fma"))) static inline __m256 finish8(int kind, __m256 dot, __m256 na, __m256 nb) {
  if (kind == TK_COSINE) return dot;
  __m256 d = _mm256_sub_ps(_mm256_add_ps(na, nb), _mm256_add_ps(dot, dot));
  d = _mm256_max_ps(_mm256_setzero_ps(), d); /* returns d when d is NaN, like the scalar ternary */
  return kind == TK_EUCLIDEAN ? _mm256_sqrt_ps(d) : d;
}

__attribute__((target("avx2,fma"))) static void mk_avx2(int dim, const float *pa, const float *pb, int kind,
                                                        const float *na, const float *nb, float *out, size_t ldo,
                                                        int mr, int nr) {
  __m256 c[A2_MR][2];
  for (int r = 0; r < A2_MR; r++) c[r][0] = c[r][1] = _mm256_setzero_ps();
  /* Rows are read in place: two base pointers plus 0, L, 2L offsets keep all six in x86 addressing modes. */
  const size_t L = (size_t)dim;
  const float *p0 = pa, *p3 = pa + 3 * L;
  for (int k = 0; k < dim; k++) {
    const __m256 b0 = _mm256_load_ps(pb + k * A2_NR);
    const __m256 b1 = _mm256_load_ps(pb + k * A2_NR + 8);
    const float *q[2] = {p0 + k, p3 + k};
#pragma GCC unroll 6
    for (int r = 0; r < A2_MR; r++) {
      const __m256 x = _mm256_broadcast_ss(q[r / 3] + (r % 3) * L);
      c[r][0] = _mm256_fmadd_ps(x, b0, c[r][0]);
      c[r][1] = _mm256_fmadd_ps(x, b1, c[r][1]);
    }
  }
  const __m256 nb0 = _mm256_load_ps(nb), nb1 = _mm256_load_ps(nb + 8);
  float tmp[A2_MR * A2_NR] __attribute__((aligned(32)));
  const int full = mr == A2_MR && nr == A2_NR;
  for (int r = 0; r < A2_MR; r++) {
    const __m256 nar = _mm256_broadcast_ss(na + r);
    float *dst = full ? out + r * ldo : tmp + r * A2_NR;
    _mm256_storeu_ps(dst, finish8(kind, c[r][0], nar, nb0));
    _mm256_storeu_ps(dst + 8, finish8(kind, c[r][1], nar, nb1));
  }
  if (!full) copy_block(tmp, A2_NR, out, ldo, mr, nr);
}

#ifdef TK_AVX512
/* ---------------- AVX-512F: 12×32 block, 24 zmm accumulators ---------------- */
#define A5_MR 12
#define A5_NR 32
__attribute__((target("avx512f"))) static inline __m512 finish16(int kind, __m512 dot, __m512 na, __m512 nb) {
  if (kind == TK_COSINE) return dot;
  __m512 d = _mm512_sub_ps(_mm512_add_ps(na, nb), _mm512_add_ps(dot, dot));
  d = _mm512_max_ps(_mm512_setzero_ps(), d);
  return kind == TK_EUCLIDEAN ? _mm512_sqrt_ps(d) : d;
}

__attribute__((target("avx512f"))) static void mk_avx512(int dim, const float *pa, const float *pb, int kind,
                                                         const float *na, const float *nb, float *out, size_t ldo,
                                                         int mr, int nr) {
  __m512 c[A5_MR][2];
  for (int r = 0; r < A5_MR; r++) c[r][0] = c[r][1] = _mm512_setzero_ps();
  /* Rows are read in place: three base pointers plus 0, L, 2L, 3L offsets keep all twelve in addressing modes. */
  const size_t L = (size_t)dim;
  const float *p0 = pa, *p4 = pa + 4 * L, *p8 = pa + 8 * L;
  for (int k = 0; k < dim; k++) {
    const __m512 b0 = _mm512_load_ps(pb + k * A5_NR);
    const __m512 b1 = _mm512_load_ps(pb + k * A5_NR + 16);
    const float *q[3] = {p0 + k, p4 + k, p8 + k};
#pragma GCC unroll 12
    for (int r = 0; r < A5_MR; r++) {
      const __m512 x = _mm512_set1_ps(q[r >> 2][(r & 3) * L]);
      c[r][0] = _mm512_fmadd_ps(x, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(x, b1, c[r][1]);
    }
  }
  const __m512 nb0 = _mm512_load_ps(nb), nb1 = _mm512_load_ps(nb + 16);
  float tmp[A5_MR * A5_NR] __attribute__((aligned(64)));
  const int full = mr == A5_MR && nr == A5_NR;
  for (int r = 0; r < A5_MR; r++) {
    const __m512 nar = _mm512_set1_ps(na[r]);
    float *dst = full ? out + r * ldo : tmp + r * A5_NR;
    _mm512_storeu_ps(dst, finish16(kind, c[r][0], nar, nb0));
    _mm512_storeu_ps(dst + 16, finish16(kind, c[r][1], nar, nb1));
  }
  if (!full) copy_block(tmp, A5_NR, out, ldo, mr, nr);
}
#endif /* TK_AVX512 */
#endif

typedef void (*micro_kernel)(int, const float *, const float *, int, const float *, const float *, float *, size_t,
                             int, int);
typedef struct {
  const char *name;
  int mr, nr;
  micro_kernel mk;
} isa_t;

static const isa_t *pick(void) {
  static const isa_t scalar = {"scalar", S_MR, S_NR, mk_scalar};
  const int level = tk_cpu_isa(); /* TRIPLETKIT_ISA=avx2|scalar caps it for tests and benchmarks */
#ifdef TK_AVX512
  static const isa_t avx512 = {"avx512", A5_MR, A5_NR, mk_avx512};
  if (level == TK_ISA_AVX512) return &avx512;
#endif
#ifdef TK_X86
  static const isa_t avx2 = {"avx2", A2_MR, A2_NR, mk_avx2};
  if (level >= TK_ISA_AVX2) return &avx2;
#endif
  (void)level;
  return &scalar;
}

static const isa_t *active(void) {
  /* Racing workers compute the same answer, so a plain once-style cache is fine. */
  static const isa_t *volatile chosen = NULL;
  if (!chosen) chosen = pick();
  return chosen;
}

const char *tk_isa(void) { return active()->name; }

/* Scalar packing of one panel: n valid rows (n <= w) from src, zero padded to w, k-major. */
static void pack_panel_scalar(const float *src, int n, int dim, int w, float *panel, int k_from) {
  if (n < w) memset(panel + (size_t)k_from * w, 0, (size_t)(dim - k_from) * w * sizeof(float));
  for (int r = 0; r < n; r++) {
    const float *row = src + (size_t)r * dim;
    for (int k = k_from; k < dim; k++) panel[k * w + r] = row[k];
  }
}

#ifdef TK_X86
/* Full panels (w a multiple of 8) transposed 8×8 at a time in AVX registers: several times faster than scalar stores
 * strided by w, which matters because B is packed on every call. A pure copy, so it cannot change any value. */
__attribute__((target("avx2"))) static int pack_panel_avx(const float *src, int dim, int w, float *panel) {
  const int k8 = dim & ~7;
  for (int r0 = 0; r0 < w; r0 += 8) {
    const float *s0 = src + (size_t)r0 * dim;
    for (int k0 = 0; k0 < k8; k0 += 8) {
      __m256 r[8], t[8], u[8];
      for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(s0 + (size_t)i * dim + k0);
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
      }
      for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
      }
      for (int j = 0; j < 4; j++) {
        _mm256_storeu_ps(panel + (size_t)(k0 + j) * w + r0, _mm256_permute2f128_ps(u[j], u[j + 4], 0x20));
        _mm256_storeu_ps(panel + (size_t)(k0 + j + 4) * w + r0, _mm256_permute2f128_ps(u[j], u[j + 4], 0x31));
      }
    }
  }
  return k8;
}
#endif

/* Packs `rows` rows of x (row-major, width dim) into panels of `w` rows, k-major inside a panel, zero padded. */
static void pack(const float *x, int rows, int dim, int w, float *dst, int use_avx) {
  const int panels = (rows + w - 1) / w;
  for (int p = 0; p < panels; p++) {
    const int n = rows - p * w < w ? rows - p * w : w;
    const float *src = x + (size_t)p * w * dim;
    float *panel = dst + (size_t)p * w * dim;
    int k_from = 0;
#ifdef TK_X86
    if (use_avx && n == w && w % 8 == 0) k_from = pack_panel_avx(src, dim, w, panel);
#else
    (void)use_avx;
#endif
    if (k_from < dim) pack_panel_scalar(src, n, dim, w, panel, k_from);
  }
}

static void pack_norms(const float *n, int rows, int w, float *dst) {
  const int padded = (rows + w - 1) / w * w;
  for (int r = 0; r < padded; r++) dst[r] = (n && r < rows) ? n[r] : 0.0f;
}

int tk_tile(tk_buffers *buf, const float *a, int a_rows, const float *b, int b_rows, int dim, int kind, float *out,
            const float *a_norms, const float *b_norms) {
  const isa_t *isa = active();
  const int MR = isa->mr, NR = isa->nr;
  const int pa_n = (a_rows + MR - 1) / MR, pb_n = (b_rows + NR - 1) / NR;
  if (grow(&buf->pa, &buf->pa_cap, (size_t)MR * dim) || grow(&buf->pb, &buf->pb_cap, (size_t)pb_n * NR * dim) ||
      grow(&buf->na, &buf->na_cap, (size_t)pa_n * MR) || grow(&buf->nb, &buf->nb_cap, (size_t)pb_n * NR))
    return -1;
  /* A is read in place (MR rows of `dim` floats); only a short last panel is copied, zero padded, so the micro-kernel
   * never reads past the caller's rows. B is packed k-major so each k is one or two aligned vector loads. */
  const int a_full = (a_rows / MR) * MR;
  if (a_full < a_rows) {
    const size_t rem = (size_t)(a_rows - a_full) * dim;
    memcpy(buf->pa, a + (size_t)a_full * dim, rem * sizeof(float));
    memset(buf->pa + rem, 0, ((size_t)MR * dim - rem) * sizeof(float));
  }
  pack(b, b_rows, dim, NR, buf->pb, isa->mk != mk_scalar);
  pack_norms(kind == TK_COSINE ? NULL : a_norms, a_rows, MR, buf->na);
  pack_norms(kind == TK_COSINE ? NULL : b_norms, b_rows, NR, buf->nb);

  /* Blocking: a block of packed B panels (<= 512 KiB, L2) is swept by every A panel (MR rows, L1) in turn, so the
   * output is written row block by row block. The order of blocks never changes a value: each element is finished
   * inside one micro-kernel call. */
  int nc_panels = (int)((512u * 1024u) / ((size_t)NR * dim * sizeof(float)));
  if (nc_panels < 1) nc_panels = 1;
  for (int jb = 0; jb < pb_n; jb += nc_panels) {
    const int je = jb + nc_panels < pb_n ? jb + nc_panels : pb_n;
    for (int ip = 0; ip < pa_n; ip++) {
      const int i0 = ip * MR;
      const int mr = a_rows - i0 < MR ? a_rows - i0 : MR;
      const float *ap = mr == MR ? a + (size_t)i0 * dim : buf->pa;
      float *out_i = out + (size_t)i0 * b_rows;
      for (int jp = jb; jp < je; jp++) {
        const int j0 = jp * NR;
        const int nr = b_rows - j0 < NR ? b_rows - j0 : NR;
        isa->mk(dim, ap, buf->pb + (size_t)jp * NR * dim, kind, buf->na + i0, buf->nb + j0, out_i + j0,
                (size_t)b_rows, mr, nr);
      }
    }
  }
  return 0;
}
