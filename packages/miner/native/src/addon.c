/*
 * N-API glue for the distance tile kernel. Context-aware (NAPI_MODULE_INIT): every environment — the main thread and
 * each worker_thread — gets its own instance data holding its packing buffers, freed when that environment exits.
 * Calls are synchronous and single-threaded; parallelism comes from workers.
 */
#define NAPI_VERSION 6
#include <node_api.h>
#include <stdlib.h>

#include "kernel.h"

/* Bump with NATIVE_VERSION in src/distances/nativeKernel.ts whenever the interface changes (the build script reads it). */
#define TK_VERSION 1

static void throw_error(napi_env env, const char *msg) { napi_throw_error(env, "E_ARG", msg); }

/* Reads a Float32Array argument; returns NULL (with a pending exception) on anything else. */
static float *f32(napi_env env, napi_value v, size_t *length) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (is_ta) {
    napi_typedarray_type type;
    void *data = NULL;
    if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) == napi_ok && type == napi_float32_array)
      return data ? (float *)data : (float *)"";
  }
  throw_error(env, "native distance kernel: expected a Float32Array argument");
  return NULL;
}

static int int_arg(napi_env env, napi_value v, int *out) {
  int32_t x;
  if (napi_get_value_int32(env, v, &x) != napi_ok || x < 0) {
    throw_error(env, "native distance kernel: expected a non-negative integer argument");
    return -1;
  }
  *out = x;
  return 0;
}

/* tile(a, aRows, b, bRows, dim, kind, out, aNorms, bNorms) */
static napi_value tile(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 9) {
    throw_error(env, "native distance kernel: tile() takes 9 arguments");
    return NULL;
  }
  size_t la, lb, lo, lna, lnb;
  int a_rows, b_rows, dim, kind;
  float *a = f32(env, argv[0], &la);
  if (!a || int_arg(env, argv[1], &a_rows)) return NULL;
  float *b = f32(env, argv[2], &lb);
  if (!b || int_arg(env, argv[3], &b_rows) || int_arg(env, argv[4], &dim) || int_arg(env, argv[5], &kind)) return NULL;
  float *out = f32(env, argv[6], &lo);
  if (!out) return NULL;
  float *na = f32(env, argv[7], &lna);
  if (!na) return NULL;
  float *nb = f32(env, argv[8], &lnb);
  if (!nb) return NULL;
  /* The TypeScript wrapper validates too; these checks only keep a misuse from touching foreign memory. */
  const int lp = kind != TK_COSINE;
  if (dim < 1 || kind > 2 || la < (size_t)a_rows * dim || lb < (size_t)b_rows * dim ||
      lo < (size_t)a_rows * b_rows || (lp && (lna < (size_t)a_rows || lnb < (size_t)b_rows))) {
    throw_error(env, "native distance kernel: argument sizes do not match");
    return NULL;
  }
  if (a_rows == 0 || b_rows == 0) return NULL;
  tk_buffers *buf = NULL;
  napi_get_instance_data(env, (void **)&buf);
  if (!buf || tk_tile(buf, a, a_rows, b, b_rows, dim, kind, out, lp ? na : NULL, lp ? nb : NULL) != 0) {
    napi_throw_error(env, "E_MEMORY", "native distance kernel: out of memory for packing buffers");
  }
  return NULL;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value obj, isa, simd, version;
  const char *name = tk_isa();
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &isa);
  napi_get_boolean(env, name[0] != 's', &simd);
  napi_create_int32(env, TK_VERSION, &version);
  napi_set_named_property(env, obj, "isa", isa);
  napi_set_named_property(env, obj, "simd", simd);
  napi_set_named_property(env, obj, "version", version);
  return obj;
}

static void free_buffers(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  tk_buffers_free((tk_buffers *)data);
  free(data);
}

NAPI_MODULE_INIT() {
  tk_buffers *buf = (tk_buffers *)calloc(1, sizeof(tk_buffers));
  if (!buf || napi_set_instance_data(env, buf, free_buffers, NULL) != napi_ok) {
    free(buf);
    napi_throw_error(env, NULL, "native distance kernel: cannot allocate instance data");
    return NULL;
  }
  napi_value fn;
  napi_create_function(env, "tile", NAPI_AUTO_LENGTH, tile, NULL, &fn);
  napi_set_named_property(env, exports, "tile", fn);
  napi_create_function(env, "info", NAPI_AUTO_LENGTH, info, NULL, &fn);
  napi_set_named_property(env, exports, "info", fn);
  return exports;
}
