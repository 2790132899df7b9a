/*
 * N-API glue for the distance tile kernel. Context-aware (NAPI_MODULE_INIT): every environment — the main thread and
 * each worker_thread — gets its own instance data holding its packing buffers, freed when that environment exits.
 * Calls are synchronous and single-threaded; parallelism comes from workers.
 */
#define NAPI_VERSION 6
#include <node_api.h>
#include <stdlib.h>

#include "expand.h"
#include "kernel.h"
#include "pages.h"
#include "select.h"

/* Bump with NATIVE_VERSION in src/distances/nativeKernel.ts whenever the interface changes (the build script reads it). */
#define TK_VERSION 2

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

/* Reads a typed array argument of the given type; returns NULL (with a pending exception) on anything else. */
static void *typed(napi_env env, napi_value v, napi_typedarray_type want, size_t *length, const char *what) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (is_ta) {
    napi_typedarray_type type;
    void *data = NULL;
    if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) == napi_ok && type == want)
      return data ? data : (void *)"";
  }
  napi_throw_error(env, "E_ARG", what);
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

/* The block arguments shared by select() and sample(), with each array's length for the bounds checks. */
typedef struct {
  tk_select_in in;
  size_t l_tile, l_cc, l_rc, l_start, l_ta, l_tb, l_ts, l_tba, l_tbb, l_gmin, l_scale;
} block_args;

#define SELECT_BLOCK_ARGS 15

/* tile, cnt, c0, sign (0: +1, 1: −1), flags (1: lower bound, 2: upper bound), candClass, rowClass, start, ta, tb,
 * tabStart, tabA, tabB, gmin, scale. Returns 0, or −1 with a pending exception. */
static int block_arg(napi_env env, napi_value *argv, block_args *b) {
  const char *bad = "native select: expected typed arrays of the documented types";
  int cnt, c0, sign_bit, flags;
  tk_select_in *in = &b->in;
  if (!(in->tile = f32(env, argv[0], &b->l_tile)) || int_arg(env, argv[1], &cnt) || int_arg(env, argv[2], &c0) ||
      int_arg(env, argv[3], &sign_bit) || int_arg(env, argv[4], &flags) ||
      !(in->cand_class = typed(env, argv[5], napi_int32_array, &b->l_cc, bad)) ||
      !(in->row_class = typed(env, argv[6], napi_int32_array, &b->l_rc, bad)) ||
      !(in->start = typed(env, argv[7], napi_int32_array, &b->l_start, bad)) || !(in->ta = f32(env, argv[8], &b->l_ta)) ||
      !(in->tb = f32(env, argv[9], &b->l_tb)) ||
      !(in->tab_start = typed(env, argv[10], napi_int32_array, &b->l_ts, bad)) ||
      !(in->tab_a = typed(env, argv[11], napi_int32_array, &b->l_tba, bad)) ||
      !(in->tab_b = typed(env, argv[12], napi_int32_array, &b->l_tbb, bad)) ||
      !(in->gmin = typed(env, argv[13], napi_float64_array, &b->l_gmin, bad)) ||
      !(in->scale = typed(env, argv[14], napi_float64_array, &b->l_scale, bad)))
    return -1;
  in->cnt = cnt;
  in->c0 = c0;
  in->sign = sign_bit ? -1 : 1;
  in->has_lo = (flags & 1) != 0;
  in->has_hi = (flags & 2) != 0;
  if (b->l_cc < (size_t)c0 + cnt) {
    throw_error(env, "native select: argument sizes do not match");
    return -1;
  }
  return 0;
}

/* Memory safety only: every array row i touches must hold the entries it indexes. */
static int row_ok(const block_args *b, int i) {
  const tk_select_in *in = &b->in;
  if (!(i >= 0 && (size_t)i + 2 <= b->l_start && (size_t)i + 2 <= b->l_ts && (size_t)i < b->l_rc &&
        (size_t)i < b->l_gmin && (size_t)i < b->l_scale && ((size_t)i + 1) * in->cnt <= b->l_tile))
    return 0;
  const int s = in->start[i], e = in->start[i + 1], t0 = in->tab_start[i], t1 = in->tab_start[i + 1];
  return s >= 0 && s <= e && (size_t)e <= b->l_ta && (size_t)e <= b->l_tb &&
         (s == e || (t0 >= 0 && t1 > t0 && (size_t)t1 <= b->l_tba && (size_t)t1 <= b->l_tbb));
}

static int32_t *scratch(napi_env env, int cnt) {
  tk_buffers *buf = NULL;
  napi_get_instance_data(env, (void **)&buf);
  if (!buf) return NULL;
  if (buf->cand_cap < (size_t)cnt) {
    free(buf->cand);
    buf->cand = (int *)malloc(((size_t)cnt + 16) * sizeof(int)); /* 16 spare: vector stores */
    buf->cand_cap = buf->cand ? (size_t)cnt : 0;
    if (!buf->cand) napi_throw_error(env, "E_MEMORY", "native select: out of memory");
  }
  return buf->cand;
}

/*
 * select(…block, live, nLive, outN, outX, outA, outB, rowEnd): tk_select_row for rows live[0 … nLive−1]; row q's
 * records go to out*[rowEnd[q−1] … rowEnd[q]−1] (rowEnd[−1] = 0).
 */
static napi_value select_rows(napi_env env, napi_callback_info cb) {
  size_t argc = SELECT_BLOCK_ARGS + 7;
  napi_value argv[SELECT_BLOCK_ARGS + 7];
  napi_get_cb_info(env, cb, &argc, argv, NULL, NULL);
  if (argc < SELECT_BLOCK_ARGS + 7) {
    throw_error(env, "native select: select() takes 22 arguments");
    return NULL;
  }
  const char *bad = "native select: expected typed arrays of the documented types";
  block_args b;
  if (block_arg(env, argv, &b)) return NULL;
  napi_value *v = argv + SELECT_BLOCK_ARGS;
  size_t l_live, l_on, l_ox, l_oa, l_ob, l_re;
  int n_live;
  int32_t *live, *on, *oa, *ob, *re;
  float *ox;
  if (!(live = typed(env, v[0], napi_int32_array, &l_live, bad)) || int_arg(env, v[1], &n_live) ||
      !(on = typed(env, v[2], napi_int32_array, &l_on, bad)) || !(ox = f32(env, v[3], &l_ox)) ||
      !(oa = typed(env, v[4], napi_int32_array, &l_oa, bad)) || !(ob = typed(env, v[5], napi_int32_array, &l_ob, bad)) ||
      !(re = typed(env, v[6], napi_int32_array, &l_re, bad)))
    return NULL;
  if ((size_t)n_live > l_live || (size_t)n_live > l_re) {
    throw_error(env, "native select: argument sizes do not match");
    return NULL;
  }
  int32_t *cand = scratch(env, b.in.cnt);
  if (!cand) return NULL;
  size_t cap = l_on;
  if (l_ox < cap) cap = l_ox;
  if (l_oa < cap) cap = l_oa;
  if (l_ob < cap) cap = l_ob;
  size_t w = 0;
  for (int q = 0; q < n_live; q++) {
    const int i = live[q];
    tk_row_out out = {.n = on + w, .x = ox + w, .a = oa + w, .b = ob + w};
    const int got = row_ok(&b, i) && w + b.in.cnt <= cap ? tk_select_row(&b.in, i, 0, cand, &out) : -1;
    if (got < 0) {
      throw_error(env, "native select: argument sizes do not match");
      return NULL;
    }
    w += (size_t)got;
    re[q] = (int32_t)w;
  }
  return NULL;
}

/*
 * sample(…block, live, pend, nPend, pos, seen, next, evN, evX, evA, evItems) → number of rows with an event.
 * For each pending slot q = pend[r] (row i = live[q]), resumes the row at candidate pos[q] with seen[i] items so far
 * and stops at the first candidate whose items reach next[i] (tk_sample_row). Rows with an event are compacted to the
 * front of pend, their event at ev*[r], seen[i] = items before it and pos[q] just past it; the caller feeds the event
 * to its reservoir (which moves next[i]) and calls again with those rows, until none is left.
 */
static napi_value sample_rows(napi_env env, napi_callback_info cb) {
  size_t argc = SELECT_BLOCK_ARGS + 10;
  napi_value argv[SELECT_BLOCK_ARGS + 10];
  napi_get_cb_info(env, cb, &argc, argv, NULL, NULL);
  if (argc < SELECT_BLOCK_ARGS + 10) {
    throw_error(env, "native select: sample() takes 25 arguments");
    return NULL;
  }
  const char *bad = "native select: expected typed arrays of the documented types";
  block_args b;
  if (block_arg(env, argv, &b)) return NULL;
  napi_value *v = argv + SELECT_BLOCK_ARGS;
  size_t l_live, l_pend, l_pos, l_seen, l_next, l_en, l_ex, l_ea, l_ei;
  int n_pend;
  int32_t *live, *pend, *pos, *en, *ea, *ei;
  double *seen, *next;
  float *ex;
  if (!(live = typed(env, v[0], napi_int32_array, &l_live, bad)) ||
      !(pend = typed(env, v[1], napi_int32_array, &l_pend, bad)) || int_arg(env, v[2], &n_pend) ||
      !(pos = typed(env, v[3], napi_int32_array, &l_pos, bad)) ||
      !(seen = typed(env, v[4], napi_float64_array, &l_seen, bad)) ||
      !(next = typed(env, v[5], napi_float64_array, &l_next, bad)) ||
      !(en = typed(env, v[6], napi_int32_array, &l_en, bad)) || !(ex = f32(env, v[7], &l_ex)) ||
      !(ea = typed(env, v[8], napi_int32_array, &l_ea, bad)) || !(ei = typed(env, v[9], napi_int32_array, &l_ei, bad)))
    return NULL;
  if ((size_t)n_pend > l_pend || (size_t)n_pend > l_en || (size_t)n_pend > l_ex || (size_t)n_pend > l_ea ||
      (size_t)n_pend > l_ei) {
    throw_error(env, "native select: argument sizes do not match");
    return NULL;
  }
  int32_t *cand = scratch(env, b.in.cnt);
  if (!cand) return NULL;
  int r = 0;
  for (int p = 0; p < n_pend; p++) {
    const int q = pend[p];
    const int i = q >= 0 && (size_t)q < l_live && (size_t)q < l_pos ? live[q] : -1;
    int got = -1;
    tk_row_out out = {0};
    if (i >= 0 && (size_t)i < l_seen && (size_t)i < l_next && row_ok(&b, i) && pos[q] >= 0) {
      out.seen = seen[i];
      out.next = next[i];
      got = tk_sample_row(&b.in, i, pos[q], cand, &out);
    }
    if (got < 0) {
      throw_error(env, "native select: argument sizes do not match");
      return NULL;
    }
    seen[i] = out.seen;
    if (got == 1) {
      pos[q] = out.resume;
      pend[r] = q;
      en[r] = out.ev_n;
      ex[r] = out.ev_x;
      ea[r] = out.ev_a;
      ei[r] = out.ev_items;
      r++;
    }
  }
  napi_value result;
  napi_create_int32(env, r, &result);
  return result;
}

/*
 * expand(neg, x, lo, hi, nRec, row, val, slot, s, np, a, signBit, q0, q1, anchors, positives, negatives, dAp, dAn, w,
 * scratch) → the position after the anchor's triplets of positives q0 … q1−1 (tk_expand_anchor). Throws when they do
 * not fit or the records are inconsistent.
 */
static napi_value expand(napi_env env, napi_callback_info cb) {
  size_t argc = 21;
  napi_value v[21];
  napi_get_cb_info(env, cb, &argc, v, NULL, NULL);
  if (argc < 21) {
    throw_error(env, "native expand: expand() takes 21 arguments");
    return NULL;
  }
  const char *bad = "native expand: expected typed arrays of the documented types";
  size_t l_neg, l_x, l_lo, l_hi, l_row, l_val, l_slot, l_a, l_p, l_n, l_dap, l_dan, l_scr;
  int nrec, s, np, a, sign_bit, q0, q1;
  double w;
  tk_expand_in in;
  tk_expand_out out;
  int32_t *scr;
  if (!(in.neg = typed(env, v[0], napi_int32_array, &l_neg, bad)) || !(in.x = f32(env, v[1], &l_x)) ||
      !(in.lo = typed(env, v[2], napi_int32_array, &l_lo, bad)) ||
      !(in.hi = typed(env, v[3], napi_int32_array, &l_hi, bad)) || int_arg(env, v[4], &nrec) ||
      !(in.row = typed(env, v[5], napi_int32_array, &l_row, bad)) || !(in.val = f32(env, v[6], &l_val)) ||
      !(in.slot = typed(env, v[7], napi_int32_array, &l_slot, bad)) || int_arg(env, v[8], &s) ||
      int_arg(env, v[9], &np) || int_arg(env, v[10], &a) || int_arg(env, v[11], &sign_bit) ||
      int_arg(env, v[12], &q0) || int_arg(env, v[13], &q1) ||
      !(out.anchors = typed(env, v[14], napi_int32_array, &l_a, bad)) ||
      !(out.positives = typed(env, v[15], napi_int32_array, &l_p, bad)) ||
      !(out.negatives = typed(env, v[16], napi_int32_array, &l_n, bad)) || !(out.d_ap = f32(env, v[17], &l_dap)) ||
      !(out.d_an = f32(env, v[18], &l_dan)) || napi_get_value_double(env, v[19], &w) != napi_ok ||
      !(scr = typed(env, v[20], napi_int32_array, &l_scr, bad)))
    return NULL;
  out.len = l_a;
  if (l_p < out.len) out.len = l_p;
  if (l_n < out.len) out.len = l_n;
  if (l_dap < out.len) out.len = l_dap;
  if (l_dan < out.len) out.len = l_dan;
  const size_t e = (size_t)s + (size_t)np;
  int64_t got = -1;
  if ((size_t)nrec <= l_neg && (size_t)nrec <= l_x && (size_t)nrec <= l_lo && (size_t)nrec <= l_hi && e <= l_row &&
      e <= l_val && e <= l_slot && q0 <= q1 && q1 <= np && l_scr >= 3 * ((size_t)np + 1) && w >= 0 &&
      w <= (double)out.len) {
    in.nrec = nrec;
    in.s = s;
    in.np = np;
    in.a = a;
    in.sign = sign_bit ? -1.0f : 1.0f;
    got = tk_expand_anchor(&in, q0, q1, &out, (size_t)w, scr);
  }
  if (got < 0) {
    throw_error(env, "native expand: argument sizes do not match");
    return NULL;
  }
  napi_value result;
  napi_create_double(env, (double)got, &result);
  return result;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value obj, isa, simd, version, fast_max;
  const char *name = tk_isa();
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &isa);
  napi_get_boolean(env, name[0] != 's', &simd);
  napi_create_int32(env, TK_VERSION, &version);
  napi_set_named_property(env, obj, "isa", isa);
  napi_set_named_property(env, obj, "simd", simd);
  napi_set_named_property(env, obj, "version", version);
  napi_create_int32(env, tk_select_fast_max(), &fast_max);
  napi_set_named_property(env, obj, "selectFastMax", fast_max);
  return obj;
}

static void free_buffers(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(((tk_buffers *)data)->cand);
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
  napi_create_function(env, "select", NAPI_AUTO_LENGTH, select_rows, NULL, &fn);
  napi_set_named_property(env, exports, "select", fn);
  napi_create_function(env, "sample", NAPI_AUTO_LENGTH, sample_rows, NULL, &fn);
  napi_set_named_property(env, exports, "sample", fn);
  napi_create_function(env, "expand", NAPI_AUTO_LENGTH, expand, NULL, &fn);
  napi_set_named_property(env, exports, "expand", fn);
  napi_create_function(env, "adviseHugePages", NAPI_AUTO_LENGTH, tk_advise_huge_pages, NULL, &fn);
  napi_set_named_property(env, exports, "adviseHugePages", fn);
  napi_create_function(env, "info", NAPI_AUTO_LENGTH, info, NULL, &fn);
  napi_set_named_property(env, exports, "info", fn);
  return exports;
}
