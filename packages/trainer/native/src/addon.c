/*
 * N-API glue for gemm.c. Tensors are passed as (ArrayBuffer, byteOffset) pairs so the wasm backend's heap is used in
 * place. Every call checks that the ranges it touches lie inside their buffers.
 */
#include <node_api.h>
#include <stdint.h>

int tk_isa(void);
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
static int isa = -1;

static int64_t num(napi_env env, napi_value v) {
  int64_t r = 0;
  napi_get_value_int64(env, v, &r);
  return r;
}

/* Pointer to `count` floats at byteOffset in an ArrayBuffer, or NULL (and a thrown error) if out of range. */
static float *floats(napi_env env, napi_value buf, napi_value off, int64_t count) {
  void *data = NULL;
  size_t len = 0;
  if (napi_get_arraybuffer_info(env, buf, &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an ArrayBuffer");
    return NULL;
  }
  int64_t o = num(env, off);
  if (o < 0 || (o & 3) || count < 0 || (uint64_t)o + (uint64_t)count * 4 > len) {
    napi_throw_range_error(env, NULL, "tensor range outside its buffer");
    return NULL;
  }
  return (float *)((char *)data + o);
}

/* sgemm(transA, M, N, K, aBuf, aOff, lda, bBuf, bOff, ldb, cBuf, cOff, ldc, accumulate) */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value a[14];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 14) {
    napi_throw_type_error(env, NULL, "sgemm takes 14 arguments");
    return NULL;
  }
  int transA = (int)num(env, a[0]);
  int64_t M = num(env, a[1]), N = num(env, a[2]), K = num(env, a[3]);
  int64_t lda = num(env, a[6]), ldb = num(env, a[9]), ldc = num(env, a[12]);
  int64_t aCount = transA ? (K - 1) * lda + M : (M - 1) * lda + K;
  float *pa = floats(env, a[4], a[5], M && K ? aCount : 0);
  if (!pa) return NULL;
  float *pb = floats(env, a[7], a[8], K && N ? (K - 1) * ldb + N : 0);
  if (!pb) return NULL;
  float *pc = floats(env, a[10], a[11], M && N ? (M - 1) * ldc + N : 0);
  if (!pc) return NULL;
  if (isa < 0) isa = tk_isa();
  tk_sgemm(isa, transA, (int)M, (int)N, (int)K, pa, (long)lda, pb, (long)ldb, pc, (long)ldc, (int)num(env, a[13]));
  return NULL;
}

/* im2col(xBuf, xOff, B, H, W, C, FH, FW, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff) */
static napi_value im2col(napi_env env, napi_callback_info info) {
  size_t argc = 18;
  napi_value a[18];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 18) {
    napi_throw_type_error(env, NULL, "im2col takes 18 arguments");
    return NULL;
  }
  int v[14];
  for (int i = 0; i < 14; i++) v[i] = (int)num(env, a[2 + i]);
  int B = v[0], H = v[1], W = v[2], C = v[3], FH = v[4], FW = v[5], OH = v[12], OW = v[13];
  float *x = floats(env, a[0], a[1], (int64_t)B * H * W * C);
  if (!x) return NULL;
  float *out = floats(env, a[16], a[17], (int64_t)B * OH * OW * FH * FW * C);
  if (!out) return NULL;
  tk_im2col(x, B, H, W, C, FH, FW, v[6], v[7], v[8], v[9], v[10], v[11], OH, OW, out);
  return NULL;
}

/* conv2d(xBuf, xOff, B, H, W, C, wBuf, wOff, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff) */
static napi_value conv2d(napi_env env, napi_callback_info info) {
  size_t argc = 21;
  napi_value a[21];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 21) {
    napi_throw_type_error(env, NULL, "conv2d takes 21 arguments");
    return NULL;
  }
  int B = (int)num(env, a[2]), H = (int)num(env, a[3]), W = (int)num(env, a[4]), C = (int)num(env, a[5]);
  int v[11];
  for (int i = 0; i < 11; i++) v[i] = (int)num(env, a[8 + i]);
  int FH = v[0], FW = v[1], Co = v[2], OH = v[9], OW = v[10];
  float *x = floats(env, a[0], a[1], (int64_t)B * H * W * C);
  if (!x) return NULL;
  float *w = floats(env, a[6], a[7], (int64_t)FH * FW * C * Co);
  if (!w) return NULL;
  float *out = floats(env, a[19], a[20], (int64_t)B * OH * OW * Co);
  if (!out) return NULL;
  if (isa < 0) isa = tk_isa();
  if (tk_conv2d(isa, x, B, H, W, C, w, FH, FW, Co, v[3], v[4], v[5], v[6], v[7], v[8], OH, OW, out) != 0) {
    napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  }
  return NULL;
}

/* conv2dFilterGrad(xBuf, xOff, B, H, W, C, dyBuf, dyOff, FH, FW, Co, sh, sw, dh, dw, top, left, OH, OW, outBuf, outOff)
 * → true, or false when this CPU has no fast path (the caller falls back). */
static napi_value conv2d_filter_grad(napi_env env, napi_callback_info info) {
  size_t argc = 21;
  napi_value a[21];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 21) {
    napi_throw_type_error(env, NULL, "conv2dFilterGrad takes 21 arguments");
    return NULL;
  }
  int B = (int)num(env, a[2]), H = (int)num(env, a[3]), W = (int)num(env, a[4]), C = (int)num(env, a[5]);
  int v[11];
  for (int i = 0; i < 11; i++) v[i] = (int)num(env, a[8 + i]);
  int FH = v[0], FW = v[1], Co = v[2], OH = v[9], OW = v[10];
  float *x = floats(env, a[0], a[1], (int64_t)B * H * W * C);
  if (!x) return NULL;
  float *dy = floats(env, a[6], a[7], (int64_t)B * OH * OW * Co);
  if (!dy) return NULL;
  float *out = floats(env, a[19], a[20], (int64_t)FH * FW * C * Co);
  if (!out) return NULL;
  if (isa < 0) isa = tk_isa();
  int r = tk_conv2d_filter_grad(isa, x, B, H, W, C, dy, FH, FW, Co, v[3], v[4], v[5], v[6], v[7], v[8], OH, OW, out);
  if (r == -1) napi_throw_error(env, NULL, "out of memory for the padded convolution input");
  napi_value res;
  napi_get_boolean(env, r == 0, &res);
  return res;
}

/* columnSums(xBuf, xOff, n, c, outBuf, outOff) */
static napi_value column_sums(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value a[6];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 6) {
    napi_throw_type_error(env, NULL, "columnSums takes 6 arguments");
    return NULL;
  }
  int64_t n = num(env, a[2]), c = num(env, a[3]);
  float *x = floats(env, a[0], a[1], n * c);
  if (!x) return NULL;
  float *out = floats(env, a[4], a[5], c);
  if (!out) return NULL;
  tk_column_sums(x, (long)n, (int)c, out);
  return NULL;
}

/* maxPool2x2Grad(xBuf, xOff, dyBuf, dyOff, dxBuf, dxOff, B, OH, OW, C) */
static napi_value maxpool_grad(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value a[10];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 10) {
    napi_throw_type_error(env, NULL, "maxPool2x2Grad takes 10 arguments");
    return NULL;
  }
  int64_t B = num(env, a[6]), OH = num(env, a[7]), OW = num(env, a[8]), C = num(env, a[9]);
  float *x = floats(env, a[0], a[1], B * OH * OW * C * 4);
  if (!x) return NULL;
  float *dy = floats(env, a[2], a[3], B * OH * OW * C);
  if (!dy) return NULL;
  float *dx = floats(env, a[4], a[5], B * OH * OW * C * 4);
  if (!dx) return NULL;
  tk_maxpool2x2_grad(x, dy, dx, (int)B, (int)OH, (int)OW, (int)C);
  return NULL;
}

/* biasAdd(xBuf, xOff, biasBuf, biasOff, n, c, outBuf, outOff) */
static napi_value bias_add(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value a[8];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "biasAdd takes 8 arguments");
    return NULL;
  }
  int64_t n = num(env, a[4]), c = num(env, a[5]);
  float *x = floats(env, a[0], a[1], n * c);
  if (!x) return NULL;
  float *bias = floats(env, a[2], a[3], c);
  if (!bias) return NULL;
  float *out = floats(env, a[6], a[7], n * c);
  if (!out) return NULL;
  tk_bias_add(x, bias, (long)n, (int)c, out);
  return NULL;
}

/* reluGrad(xBuf, xOff, dyBuf, dyOff, n, dxBuf, dxOff) */
static napi_value relu_grad(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value a[7];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc != 7) {
    napi_throw_type_error(env, NULL, "reluGrad takes 7 arguments");
    return NULL;
  }
  int64_t n = num(env, a[4]);
  float *x = floats(env, a[0], a[1], n);
  if (!x) return NULL;
  float *dy = floats(env, a[2], a[3], n);
  if (!dy) return NULL;
  float *dx = floats(env, a[5], a[6], n);
  if (!dx) return NULL;
  tk_relu_grad(x, dy, (long)n, dx);
  return NULL;
}

static napi_value info_fn(napi_env env, napi_callback_info info) {
  (void)info;
  if (isa < 0) isa = tk_isa();
  napi_value obj, s, ver;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, isa == 2 ? "avx512" : isa == 1 ? "avx2" : "scalar", NAPI_AUTO_LENGTH, &s);
  napi_create_int32(env, TK_VERSION, &ver);
  napi_set_named_property(env, obj, "isa", s);
  napi_set_named_property(env, obj, "version", ver);
  return obj;
}

NAPI_MODULE_INIT() {
  napi_value f;
  napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, sgemm, NULL, &f);
  napi_set_named_property(env, exports, "sgemm", f);
  napi_create_function(env, "im2col", NAPI_AUTO_LENGTH, im2col, NULL, &f);
  napi_set_named_property(env, exports, "im2col", f);
  napi_create_function(env, "conv2d", NAPI_AUTO_LENGTH, conv2d, NULL, &f);
  napi_set_named_property(env, exports, "conv2d", f);
  napi_create_function(env, "conv2dFilterGrad", NAPI_AUTO_LENGTH, conv2d_filter_grad, NULL, &f);
  napi_set_named_property(env, exports, "conv2dFilterGrad", f);
  napi_create_function(env, "columnSums", NAPI_AUTO_LENGTH, column_sums, NULL, &f);
  napi_set_named_property(env, exports, "columnSums", f);
  napi_create_function(env, "maxPool2x2Grad", NAPI_AUTO_LENGTH, maxpool_grad, NULL, &f);
  napi_set_named_property(env, exports, "maxPool2x2Grad", f);
  napi_create_function(env, "biasAdd", NAPI_AUTO_LENGTH, bias_add, NULL, &f);
  napi_set_named_property(env, exports, "biasAdd", f);
  napi_create_function(env, "reluGrad", NAPI_AUTO_LENGTH, relu_grad, NULL, &f);
  napi_set_named_property(env, exports, "reluGrad", f);
  napi_create_function(env, "info", NAPI_AUTO_LENGTH, info_fn, NULL, &f);
  napi_set_named_property(env, exports, "info", f);
  return exports;
}
