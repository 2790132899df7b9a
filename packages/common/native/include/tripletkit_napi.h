/*
 * N-API argument parsing shared by tripletkit's native addons. Shipped in @tripletkit/common (native/include, put on
 * the include path by @tripletkit/common/build-addon). Two styles, as the callers need:
 *   - checked (miner, trainer): a wrong argument leaves a pending JavaScript error and the helper returns NULL/-1, so
 *     the binding returns at once: `if (tk_args(env, info, 6, a, "columnSums")) return NULL;`;
 *   - lenient (loader): the helper only reports failure and the binding returns its "no result" value (null), since
 *     the TypeScript side then falls back to sharp.
 * The TypeScript wrappers validate first; these checks only keep a misuse from touching foreign memory.
 */
#ifndef TRIPLETKIT_NAPI_H
#define TRIPLETKIT_NAPI_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The error code of every argument error thrown here (TripletkitError's code for bad arguments). */
#define TK_E_ARG "E_ARG"

/*
 * The call's first n arguments into argv (missing ones are `undefined`). Returns 0, or -1 when fewer were passed:
 * with `what` (e.g. "sgemm") it then throws "<what> takes <n> arguments"; with NULL it throws nothing.
 */
static inline int tk_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, const char *what) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= n) return 0;
  if (what) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s takes %zu arguments", what, n);
    napi_throw_type_error(env, TK_E_ARG, msg);
  }
  return -1;
}

/* A number argument as int64 (0 when it is not a number). */
static inline int64_t tk_i64(napi_env env, napi_value v) {
  int64_t r = 0;
  napi_get_value_int64(env, v, &r);
  return r;
}

/* n consecutive int32 arguments into out[0 … n−1]; an argument that is not a number leaves its slot unchanged. */
static inline void tk_i32s(napi_env env, const napi_value *argv, int n, int32_t *out) {
  for (int i = 0; i < n; i++) napi_get_value_int32(env, argv[i], &out[i]);
}

/* A non-negative int32 argument into *out; 0, or -1 with a pending E_ARG error `msg`. */
static inline int tk_uint(napi_env env, napi_value v, int *out, const char *msg) {
  int32_t x;
  if (napi_get_value_int32(env, v, &x) != napi_ok || x < 0) {
    napi_throw_error(env, TK_E_ARG, msg);
    return -1;
  }
  *out = x;
  return 0;
}

/*
 * A typed array argument of type `want` (its element count into *length); NULL with a pending E_ARG error `msg` on
 * anything else. An empty array gives a valid non-NULL pointer, so NULL always means failure.
 */
static inline void *tk_typed(napi_env env, napi_value v, napi_typedarray_type want, size_t *length, const char *msg) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (is_ta) {
    napi_typedarray_type type;
    void *data = NULL;
    if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) == napi_ok && type == want)
      return data ? data : (void *)"";
  }
  napi_throw_error(env, TK_E_ARG, msg);
  return NULL;
}

/* Any typed array argument as bytes (lenient: 0 without an exception on anything else, 1 on success). */
static inline int tk_bytes(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  napi_typedarray_type type;
  size_t length, offset;
  void *ptr;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &ab, &offset) != napi_ok) return 0;
  size_t elem = type == napi_float64_array ? 8 : (type == napi_int32_array || type == napi_float32_array) ? 4 : 1;
  *data = (unsigned char *)ptr;
  *len = length * elem;
  return 1;
}

/*
 * `count` floats at byte offset `off` of ArrayBuffer `buf` (how the trainer passes tensors on the wasm heap, in
 * place); NULL with a pending TypeError/RangeError when `buf` is not an ArrayBuffer or the range leaves it.
 */
static inline float *tk_f32_at(napi_env env, napi_value buf, napi_value off, int64_t count) {
  void *data = NULL;
  size_t len = 0;
  if (napi_get_arraybuffer_info(env, buf, &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an ArrayBuffer");
    return NULL;
  }
  int64_t o = tk_i64(env, off);
  if (o < 0 || (o & 3) || count < 0 || (uint64_t)o + (uint64_t)count * 4 > len) {
    napi_throw_range_error(env, NULL, "tensor range outside its buffer");
    return NULL;
  }
  return (float *)((char *)data + o);
}

/* A JavaScript number from an int. */
static inline napi_value tk_int(napi_env env, int v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

/* One exported function. */
typedef struct {
  const char *name;
  napi_callback fn;
} tk_method;

/* exports[m.name] = a function calling m.fn, for each of the n methods. */
static inline void tk_export(napi_env env, napi_value exports, const tk_method *methods, size_t n) {
  for (size_t i = 0; i < n; i++) {
    napi_value f;
    napi_create_function(env, methods[i].name, NAPI_AUTO_LENGTH, methods[i].fn, NULL, &f);
    napi_set_named_property(env, exports, methods[i].name, f);
  }
}

/* The { isa, version } object every addon's info() returns (the build's load probe checks the version). */
static inline napi_value tk_info(napi_env env, const char *isa, int version) {
  napi_value obj, s;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, isa, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, "isa", s);
  napi_set_named_property(env, obj, "version", tk_int(env, version));
  return obj;
}

#endif
