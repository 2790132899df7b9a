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

/* The shape arguments of conv2d and conv2dFilterGrad: a[2..5] and a[8..18]. */
typedef struct {
  int B, H, W, C, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW;
} conv_dims;

static conv_dims conv_args(napi_env env, const napi_value *a) {
  int32_t v[15];
  for (int i = 0; i < 15; i++) v[i] = (int32_t)tk_i64(env, a[i < 4 ? 2 + i : 4 + i]);
  return (conv_dims){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
}

/* conv2d(xBuf, xOff, B, H, W, C, wBuf, wOff, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff) */
static napi_value conv2d(napi_env env, napi_callback_info info) {
  napi_value a[21];
  if (tk_args(env, info, 21, a, "conv2d")) return NULL;
  const conv_dims d = conv_args(env, a);
  TK_F32(x, a[0], a[1], (int64_t)d.B * d.H * d.W * d.C);
  TK_F32(w, a[6], a[7], (int64_t)d.FH * d.FW * d.C * d.Co);
  TK_F32(out, a[19], a[20], (int64_t)d.B * d.OH * d.OW * d.Co);
  if (tk_conv2d(isa_level(), x, d.B, d.H, d.W, d.C, w, d.FH, d.FW, d.Co, d.sh, d.sw, d.dh, d.dw, d.top, d.left, d.OH,
                d.OW, out) != 0) {
    napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  }
  return NULL;
}

/* conv2dFilterGrad(xBuf, xOff, B, H, W, C, dyBuf, dyOff, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff)
 * → true, or false when this CPU has no fast path (the caller falls back). */
static napi_value conv2d_filter_grad(napi_env env, napi_callback_info info) {
  napi_value a[21];
  if (tk_args(env, info, 21, a, "conv2dFilterGrad")) return NULL;
  const conv_dims d = conv_args(env, a);
  TK_F32(x, a[0], a[1], (int64_t)d.B * d.H * d.W * d.C);
  TK_F32(dy, a[6], a[7], (int64_t)d.B * d.OH * d.OW * d.Co);
  TK_F32(out, a[19], a[20], (int64_t)d.FH * d.FW * d.C * d.Co);
  int r = tk_conv2d_filter_grad(isa_level(), x, d.B, d.H, d.W, d.C, dy, d.FH, d.FW, d.Co, d.sh, d.sw, d.dh, d.dw, d.top,
                                d.left, d.OH, d.OW, out);
  if (r == -1) napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  napi_value res;
  napi_get_boolean(env, r == 0, &res);
  return res;
}

/* columnSums(xBuf, xOff, n, c, outBuf, outOff) */
static napi_value column_sums(napi_env env, napi_callback_info info) {
  napi_value a[6];
  if (tk_args(env, info, 6, a, "columnSums")) return NULL;
  int64_t n = tk_i64(env, a[2]), c = tk_i64(env, a[3]);
  TK_F32(x, a[0], a[1], n * c);
  TK_F32(out, a[4], a[5], c);
  tk_column_sums(x, (long)n, (int)c, out);
  return NULL;
}

/* maxPool2x2Grad(xBuf, xOff, dyBuf, dyOff, dxBuf, dxOff, B, OH, OW, C) */
static napi_value maxpool_grad(napi_env env, napi_callback_info info) {
  napi_value a[10];
  if (tk_args(env, info, 10, a, "maxPool2x2Grad")) return NULL;
  int64_t B = tk_i64(env, a[6]), OH = tk_i64(env, a[7]), OW = tk_i64(env, a[8]), C = tk_i64(env, a[9]);
  TK_F32(x, a[0], a[1], B * OH * OW * C * 4);
  TK_F32(dy, a[2], a[3], B * OH * OW * C);
  TK_F32(dx, a[4], a[5], B * OH * OW * C * 4);
  tk_maxpool2x2_grad(x, dy, dx, (int)B, (int)OH, (int)OW, (int)C);
  return NULL;
}

/* biasAdd(xBuf, xOff, biasBuf, biasOff, n, c, outBuf, outOff) */
static napi_value bias_add(napi_env env, napi_callback_info info) {
  napi_value a[8];
  if (tk_args(env, info, 8, a, "biasAdd")) return NULL;
  int64_t n = tk_i64(env, a[4]), c = tk_i64(env, a[5]);
  TK_F32(x, a[0], a[1], n * c);
  TK_F32(bias, a[2], a[3], c);
  TK_F32(out, a[6], a[7], n * c);
  tk_bias_add(x, bias, (long)n, (int)c, out);
  return NULL;
}

/* reluGrad(xBuf, xOff, dyBuf, dyOff, n, dxBuf, dxOff) */
static napi_value relu_grad(napi_env env, napi_callback_info info) {
  napi_value a[7];
  if (tk_args(env, info, 7, a, "reluGrad")) return NULL;
  int64_t n = tk_i64(env, a[4]);
  TK_F32(x, a[0], a[1], n);
  TK_F32(dy, a[2], a[3], n);
  TK_F32(dx, a[5], a[6], n);
  tk_relu_grad(x, dy, (long)n, dx);
  return NULL;
}

static napi_value info_fn(napi_env env, napi_callback_info info) {
  (void)info;
  return tk_info(env, tk_isa_name(isa_level()), TK_VERSION);
}

NAPI_MODULE_INIT() {
  const tk_method methods[] = {{"sgemm", sgemm}, {"im2col", im2col}, {"conv2d", conv2d}, {"conv2dFilterGrad", conv2d_filter_grad}, {"columnSums", column_sums}, {"maxPool2x2Grad", maxpool_grad}, {"biasAdd", bias_add}, {"reluGrad", relu_grad}, {"info", info_fn}};
  tk_export(env, exports, methods, sizeof methods / sizeof methods[0]);
  return exports;
}
