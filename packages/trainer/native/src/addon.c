/*
 * N-API glue for gemm.c. Tensors are passed as (ArrayBuffer, byteOffset) pairs so the wasm backend's heap is used in
 * place. Every call checks that the ranges it touches lie inside their buffers (tk_f32_at, tripletkit_napi.h).
 */
#include <stdint.h>

#include "tripletkit_cpu.h"
#include "tripletkit_napi.h"

void tk_sgemm(int isa, int transA, int M, int N, int K, const float *a, long lda, const float *b, long ldb, float *c,
              long ldc, int accumulate);
void tk_im2col(const float *x, int B, int H, int W, int C, int FH, int FW, int sh, int sw, int dh, int dw, int top,
               int left, int OH, int OW, float *out);

int tk_conv2d(int isa, const float *x, int B, int H, int W, int C, const float *w, int FH, int FW, int Co, int sh, int sw,
              int dh, int dw, int top, int left, int OH, int OW, float *out);

int tk_conv2d_filter_grad(int isa, const float *x, int B, int H, int W, int C, const float *dy, int FH, int FW, int Co,
                          int sh, int sw, int dh, int dw, int top, int left, int OH, int OW, float *dwout);

void tk_column_sums(const float *x, long n, int c, float *out);
void tk_maxpool2x2_grad(const float *x, const float *dy, float *dx, int B, int OH, int OW, int C);

void tk_bias_add(const float *x, const float *bias, long n, int c, float *out);
void tk_relu_grad(const float *x, const float *dy, long n, float *dx);

#define TK_VERSION 5

/* The instruction set, picked once (racing threads compute the same value). */
static int isa_level(void) {
  static volatile int isa = -1;
  if (isa < 0) isa = tk_cpu_isa();
  return isa;
}

/* Out of range: a pending exception was thrown; the binding returns NULL. */
#define TK_F32(var, buf, off, count)                  \
  float *var = tk_f32_at(env, (buf), (off), (count)); \
  if (!var) return NULL

/* sgemm(transA, M, N, K, aBuf, aOff, lda, bBuf, bOff, ldb, cBuf, cOff, ldc, accumulate) */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  napi_value a[14];
  if (tk_args(env, info, 14, a, "sgemm")) return NULL;
  int transA = (int)tk_i64(env, a[0]);
  int64_t M = tk_i64(env, a[1]), N = tk_i64(env, a[2]), K = tk_i64(env, a[3]);
  int64_t lda = tk_i64(env, a[6]), ldb = tk_i64(env, a[9]), ldc = tk_i64(env, a[12]);
  int64_t aCount = transA ? (K - 1) * lda + M : (M - 1) * lda + K;
  TK_F32(pa, a[4], a[5], M && K ? aCount : 0);
  TK_F32(pb, a[7], a[8], K && N ? (K - 1) * ldb + N : 0);
  TK_F32(pc, a[10], a[11], M && N ? (M - 1) * ldc + N : 0);
  const int acc = (int)tk_i64(env, a[13]);
  tk_sgemm(isa_level(), transA, (int)M, (int)N, (int)K, pa, (long)lda, pb, (long)ldb, pc, (long)ldc, acc);
  return NULL;
}

/* im2col(xBuf, xOff, B, H, W, C, FH, FW, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff) */
static napi_value im2col(napi_env env, napi_callback_info info) {
  napi_value a[18];
  if (tk_args(env, info, 18, a, "im2col")) return NULL;
  int v[14];
  for (int i = 0; i < 14; i++) v[i] = (int)tk_i64(env, a[2 + i]);
  int B = v[0], H = v[1], W = v[2], C = v[3], FH = v[4], FW = v[5], OH = v[12], OW = v[13];
  TK_F32(x, a[0], a[1], (int64_t)B * H * W * C);
  TK_F32(out, a[16], a[17], (int64_t)B * OH * OW * FH * FW * C);
  tk_im2col(x, B, H, W, C, FH, FW, v[6], v[7], v[8], v[9], v[10], v[11], OH, OW, out);
  return NULL;
}

/*
 * The arguments of conv2d and conv2dFilterGrad, one layout for both:
 *   (xBuf, xOff, B, H, W, C, fBuf, fOff, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff)
 * where f is the filter w (conv2d) or the output gradient dy (conv2dFilterGrad), and out the other one.
 */
typedef struct {
  int B, H, W, C, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW;
  float *x, *f, *out;
} conv_call;

/* 0, or -1 with a pending error (the binding returns NULL). */
static int conv_args(napi_env env, napi_callback_info info, const char *what, int filter_grad, conv_call *c) {
  napi_value a[21];
  if (tk_args(env, info, 21, a, what)) return -1;
  int32_t v[15];
  for (int i = 0; i < 15; i++) v[i] = (int32_t)tk_i64(env, a[i < 4 ? 2 + i : 4 + i]);
  *c = (conv_call){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                   NULL, NULL, NULL};
  const int64_t w_len = (int64_t)c->FH * c->FW * c->C * c->Co, y_len = (int64_t)c->B * c->OH * c->OW * c->Co;
  if (!(c->x = tk_f32_at(env, a[0], a[1], (int64_t)c->B * c->H * c->W * c->C))) return -1;
  if (!(c->f = tk_f32_at(env, a[6], a[7], filter_grad ? y_len : w_len))) return -1;
  if (!(c->out = tk_f32_at(env, a[19], a[20], filter_grad ? w_len : y_len))) return -1;
  return 0;
}

/* conv2d(x…, w…, out…) */
static napi_value conv2d(napi_env env, napi_callback_info info) {
  conv_call c;
  if (conv_args(env, info, "conv2d", 0, &c)) return NULL;
  if (tk_conv2d(isa_level(), c.x, c.B, c.H, c.W, c.C, c.f, c.FH, c.FW, c.Co, c.sh, c.sw, c.dh, c.dw, c.top, c.left, c.OH,
                c.OW, c.out) != 0) {
    napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  }
  return NULL;
}

/* conv2dFilterGrad(x…, dy…, out…) → true, or false when this CPU has no fast path (the caller falls back). */
static napi_value conv2d_filter_grad(napi_env env, napi_callback_info info) {
  conv_call c;
  if (conv_args(env, info, "conv2dFilterGrad", 1, &c)) return NULL;
  int r = tk_conv2d_filter_grad(isa_level(), c.x, c.B, c.H, c.W, c.C, c.f, c.FH, c.FW, c.Co, c.sh, c.sw, c.dh, c.dw,
                                c.top, c.left, c.OH, c.OW, c.out);
  if (r == -1) napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  napi_value res;
  napi_get_boolean(env, r == 0, &res);
  return res;
}

/*
 * The element-wise kernels, one binding for all: each argument is a tensor (an ArrayBuffer and a byte offset, two
 * arguments) or an integer dimension, and each tensor's length is a product of dimensions. A row of `elementwise`
 * describes one kernel's arguments; adding such a kernel is a row and a one-line `run`.
 */
#define EW_TENSORS 3
#define EW_DIMS 4
#define DIM(j) (1u << (j))
typedef struct {
  unsigned char dims; /* DIM(j) set: the length includes dimension j */
  unsigned char times;
} ew_length;
typedef struct {
  const char *name;
  const char *layout; /* argument order: 't' a tensor, 'd' a dimension */
  ew_length length[EW_TENSORS];
  void (*run)(float *const *t, const int64_t *d);
} ew_kernel;

static void run_column_sums(float *const *t, const int64_t *d) { tk_column_sums(t[0], (long)d[0], (int)d[1], t[1]); }
static void run_maxpool_grad(float *const *t, const int64_t *d) {
  tk_maxpool2x2_grad(t[0], t[1], t[2], (int)d[0], (int)d[1], (int)d[2], (int)d[3]);
}
static void run_bias_add(float *const *t, const int64_t *d) { tk_bias_add(t[0], t[1], (long)d[0], (int)d[1], t[2]); }
static void run_relu_grad(float *const *t, const int64_t *d) { tk_relu_grad(t[0], t[1], (long)d[0], t[2]); }

#define ALL4 (DIM(0) | DIM(1) | DIM(2) | DIM(3))
static const ew_kernel elementwise[] = {
    /* columnSums(xBuf, xOff, n, c, outBuf, outOff): x n·c, out c */
    {"columnSums", "tddt", {{DIM(0) | DIM(1), 1}, {DIM(1), 1}}, run_column_sums},
    /* maxPool2x2Grad(xBuf, xOff, dyBuf, dyOff, dxBuf, dxOff, B, OH, OW, C): x and dx 4·B·OH·OW·C, dy B·OH·OW·C */
    {"maxPool2x2Grad", "tttdddd", {{ALL4, 4}, {ALL4, 1}, {ALL4, 4}}, run_maxpool_grad},
    /* biasAdd(xBuf, xOff, biasBuf, biasOff, n, c, outBuf, outOff): x and out n·c, bias c */
    {"biasAdd", "ttddt", {{DIM(0) | DIM(1), 1}, {DIM(1), 1}, {DIM(0) | DIM(1), 1}}, run_bias_add},
    /* reluGrad(xBuf, xOff, dyBuf, dyOff, n, dxBuf, dxOff): all n */
    {"reluGrad", "ttdt", {{DIM(0), 1}, {DIM(0), 1}, {DIM(0), 1}}, run_relu_grad},
};

/* The binding of every row of `elementwise` (the row is the function's data). */
static napi_value elementwise_call(napi_env env, napi_callback_info info) {
  void *data = NULL;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  const ew_kernel *k = data;
  size_t n = 0;
  for (const char *c = k->layout; *c; c++) n += *c == 't' ? 2 : 1;
  napi_value a[2 * EW_TENSORS + EW_DIMS];
  if (tk_args(env, info, n, a, k->name)) return NULL;
  int64_t d[EW_DIMS];
  int at[EW_TENSORS], nt = 0, nd = 0, i = 0;
  for (const char *c = k->layout; *c; c++) {
    if (*c == 't') {
      at[nt++] = i;
      i += 2;
    } else {
      d[nd++] = tk_i64(env, a[i++]);
    }
  }
  float *t[EW_TENSORS];
  for (int j = 0; j < nt; j++) {
    int64_t len = k->length[j].times;
    for (int m = 0; m < nd; m++)
      if (k->length[j].dims >> m & 1) len *= d[m];
    TK_F32(p, a[at[j]], a[at[j] + 1], len);
    t[j] = p;
  }
  k->run(t, d);
  return NULL;
}

static napi_value info_fn(napi_env env, napi_callback_info info) {
  (void)info;
  return tk_info(env, tk_isa_name(isa_level()), TK_VERSION);
}

NAPI_MODULE_INIT() {
  const tk_method methods[] = {{"sgemm", sgemm}, {"im2col", im2col}, {"conv2d", conv2d}, {"conv2dFilterGrad", conv2d_filter_grad}};
  tk_export(env, exports, methods, sizeof methods / sizeof methods[0]);
  for (size_t i = 0; i < sizeof elementwise / sizeof elementwise[0]; i++) {
    napi_value f;
    napi_create_function(env, elementwise[i].name, NAPI_AUTO_LENGTH, elementwise_call, (void *)&elementwise[i], &f);
    napi_set_named_property(env, exports, elementwise[i].name, f);
  }
  const tk_method info_method = {"info", info_fn};
  tk_export(env, exports, &info_method, 1);
  return exports;
}
