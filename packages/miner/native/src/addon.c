/*
 * N-API glue for the distance tile kernel. Context-aware (NAPI_MODULE_INIT): every environment — the main thread and
 * each worker_thread — gets its own instance data holding its packing buffers, freed when that environment exits.
 * Calls are synchronous and single-threaded; parallelism comes from workers.
 */
#define NAPI_VERSION 6
#include <stdlib.h>

#include "tripletkit_napi.h"

#include "expand.h"
#include "kernel.h"
#include "pages.h"
#include "select.h"

/* Bump with NATIVE_VERSION in src/distances/nativeKernel.ts whenever the interface changes (the build script reads it). */
#define TK_VERSION 2

static void throw_error(napi_env env, const char *msg) { napi_throw_error(env, TK_E_ARG, msg); }

/* A Float32Array argument; NULL (with a pending exception) on anything else. */
static float *f32(napi_env env, napi_value v, size_t *length) {
  return tk_typed(env, v, napi_float32_array, length, "native distance kernel: expected a Float32Array argument");
}

/* An Int32Array / Float64Array argument; NULL (with a pending exception) on anything else. */
static int32_t *i32(napi_env env, napi_value v, size_t *length) {
  return tk_typed(env, v, napi_int32_array, length, "native kernel: expected an Int32Array argument");
}

static double *f64(napi_env env, napi_value v, size_t *length) {
  return tk_typed(env, v, napi_float64_array, length, "native kernel: expected a Float64Array argument");
}

static int int_arg(napi_env env, napi_value v, int *out) {
  return tk_uint(env, v, out, "native distance kernel: expected a non-negative integer argument");
}

/* tile(a, aRows, b, bRows, dim, kind, out, aNorms, bNorms) */
static napi_value tile(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (tk_args(env, info, 9, argv, "native distance kernel: tile()")) return NULL;
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
  int cnt, c0, sign_bit, flags;
  tk_select_in *in = &b->in;
  if (!(in->tile = f32(env, argv[0], &b->l_tile)) || int_arg(env, argv[1], &cnt) || int_arg(env, argv[2], &c0) ||
      int_arg(env, argv[3], &sign_bit) || int_arg(env, argv[4], &flags) ||
      !(in->cand_class = i32(env, argv[5], &b->l_cc)) ||
      !(in->row_class = i32(env, argv[6], &b->l_rc)) ||
      !(in->start = i32(env, argv[7], &b->l_start)) || !(in->ta = f32(env, argv[8], &b->l_ta)) ||
      !(in->tb = f32(env, argv[9], &b->l_tb)) ||
      !(in->tab_start = i32(env, argv[10], &b->l_ts)) ||
      !(in->tab_a = i32(env, argv[11], &b->l_tba)) ||
      !(in->tab_b = i32(env, argv[12], &b->l_tbb)) ||
      !(in->gmin = f64(env, argv[13], &b->l_gmin)) ||
      !(in->scale = f64(env, argv[14], &b->l_scale)))
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

/* select()/sample(): the call's block arguments and `extra` more; the extra ones, or NULL with a pending exception. */
static napi_value *block_call(napi_env env, napi_callback_info cb, napi_value *argv, size_t extra, block_args *b,
                              const char *what) {
  if (tk_args(env, cb, SELECT_BLOCK_ARGS + extra, argv, what) || block_arg(env, argv, b)) return NULL;
  return argv + SELECT_BLOCK_ARGS;
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
  napi_value argv[SELECT_BLOCK_ARGS + 7];
  block_args b;
  napi_value *v = block_call(env, cb, argv, 7, &b, "native select: select()");
  if (!v) return NULL;
  size_t l_live, l_on, l_ox, l_oa, l_ob, l_re;
  int n_live;
  int32_t *live, *on, *oa, *ob, *re;
  float *ox;
  if (!(live = i32(env, v[0], &l_live)) || int_arg(env, v[1], &n_live) ||
      !(on = i32(env, v[2], &l_on)) || !(ox = f32(env, v[3], &l_ox)) ||
      !(oa = i32(env, v[4], &l_oa)) || !(ob = i32(env, v[5], &l_ob)) ||
      !(re = i32(env, v[6], &l_re)))
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
  napi_value argv[SELECT_BLOCK_ARGS + 10];
  block_args b;
  napi_value *v = block_call(env, cb, argv, 10, &b, "native select: sample()");
  if (!v) return NULL;
  size_t l_live, l_pend, l_pos, l_seen, l_next, l_en, l_ex, l_ea, l_ei;
  int n_pend;
  int32_t *live, *pend, *pos, *en, *ea, *ei;
  double *seen, *next;
  float *ex;
  if (!(live = i32(env, v[0], &l_live)) ||
      !(pend = i32(env, v[1], &l_pend)) || int_arg(env, v[2], &n_pend) ||
      !(pos = i32(env, v[3], &l_pos)) ||
      !(seen = f64(env, v[4], &l_seen)) ||
      !(next = f64(env, v[5], &l_next)) ||
      !(en = i32(env, v[6], &l_en)) || !(ex = f32(env, v[7], &l_ex)) ||
      !(ea = i32(env, v[8], &l_ea)) || !(ei = i32(env, v[9], &l_ei)))
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
  napi_value v[21];
  if (tk_args(env, cb, 21, v, "native expand: expand()")) return NULL;
  size_t l_neg, l_x, l_lo, l_hi, l_row, l_val, l_slot, l_a, l_p, l_n, l_dap, l_dan, l_scr;
  int nrec, s, np, a, sign_bit, q0, q1;
  double w;
  tk_expand_in in;
  tk_expand_out out;
  int32_t *scr;
  if (!(in.neg = i32(env, v[0], &l_neg)) || !(in.x = f32(env, v[1], &l_x)) ||
      !(in.lo = i32(env, v[2], &l_lo)) ||
      !(in.hi = i32(env, v[3], &l_hi)) || int_arg(env, v[4], &nrec) ||
      !(in.row = i32(env, v[5], &l_row)) || !(in.val = f32(env, v[6], &l_val)) ||
      !(in.slot = i32(env, v[7], &l_slot)) || int_arg(env, v[8], &s) ||
      int_arg(env, v[9], &np) || int_arg(env, v[10], &a) || int_arg(env, v[11], &sign_bit) ||
      int_arg(env, v[12], &q0) || int_arg(env, v[13], &q1) ||
      !(out.anchors = i32(env, v[14], &l_a)) ||
      !(out.positives = i32(env, v[15], &l_p)) ||
      !(out.negatives = i32(env, v[16], &l_n)) || !(out.d_ap = f32(env, v[17], &l_dap)) ||
      !(out.d_an = f32(env, v[18], &l_dan)) || napi_get_value_double(env, v[19], &w) != napi_ok ||
      !(scr = i32(env, v[20], &l_scr)))
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
  const char *name = tk_isa();
  napi_value obj = tk_info(env, name, TK_VERSION), simd;
  napi_get_boolean(env, name[0] != 's', &simd);
  napi_set_named_property(env, obj, "simd", simd);
  napi_set_named_property(env, obj, "selectFastMax", tk_int(env, tk_select_fast_max()));
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
  const tk_method methods[] = {{"tile", tile},     {"select", select_rows},
                               {"sample", sample_rows}, {"expand", expand},
                               {"adviseHugePages", tk_advise_huge_pages}, {"info", info}};
  tk_export(env, exports, methods, sizeof methods / sizeof methods[0]);
  return exports;
}
