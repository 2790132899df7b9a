/*
 * tripletkit loader native helpers (N-API, optional):
 *   jpegInfo(buf)                       -> [width, height, orientation, supported]  (header only)
 *   jpegDecode(buf, scaleNum, gray, flags, out) -> [w, h] | null (DCT-domain scaling scaleNum/8, RGB or gray,
 *                                       into the caller's scratch buffer; flags: 1 = fast IDCT, 2 = plain upsampling)
 *   inflate(src, dst) -> bytes | -1   (zlib, when built with it: PNG data without node:zlib's per-call objects)
 *   resample(src, w, c, yLo, yHi, hStart, hCount, hTaps, hWeights, vStart, vCount, vTaps, vWeights,
 *            cw, ch, out, outOffset, outW, padX, padY)
 * Decoding at a reduced DCT scale is what makes big JPEGs cheap: libjpeg-turbo computes an M/8-size image directly
 * from the DCT coefficients (like sharp's shrink-on-load, but at any eighth, not only 1/2, 1/4, 1/8).
 * The resampler does the same integer arithmetic as resizeRaw.ts (Pillow-style fixed point), so both give
 * bit-identical pixels.
 * Anything unusual (CMYK, a non-sRGB ICC profile, any libjpeg warning or error) returns null/unsupported: the caller
 * then uses sharp, which also words the error for a bad file.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <jpeglib.h>

#include "tripletkit_napi.h"
#ifdef TK_ZLIB
#include <zlib.h>
#endif

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  int warnings;
} err_mgr;

static void on_error(j_common_ptr cinfo) {
  err_mgr *e = (err_mgr *)cinfo->err;
  longjmp(e->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) ((err_mgr *)cinfo->err)->warnings++;
}

static void no_output(j_common_ptr cinfo) { (void)cinfo; }

/* EXIF orientation (1..8) from an APP1 "Exif" marker, 1 when absent or unreadable. */
static int exif_orientation(const unsigned char *d, unsigned len) {
  if (len < 14 || memcmp(d, "Exif\0\0", 6) != 0) return 1;
  const unsigned char *t = d + 6;
  unsigned n = len - 6;
  int le = t[0] == 'I';
  if (!(t[0] == 'I' && t[1] == 'I') && !(t[0] == 'M' && t[1] == 'M')) return 1;
#define U16(p) (le ? (unsigned)((p)[0] | ((p)[1] << 8)) : (unsigned)(((p)[0] << 8) | (p)[1]))
#define U32(p) (le ? ((unsigned)(p)[0] | ((unsigned)(p)[1] << 8) | ((unsigned)(p)[2] << 16) | ((unsigned)(p)[3] << 24)) \
                   : (((unsigned)(p)[0] << 24) | ((unsigned)(p)[1] << 16) | ((unsigned)(p)[2] << 8) | (unsigned)(p)[3]))
  unsigned ifd = U32(t + 4);
  if (ifd + 2 > n) return 1;
  unsigned count = U16(t + ifd);
  for (unsigned i = 0; i < count; i++) {
    unsigned e = ifd + 2 + i * 12;
    if (e + 12 > n) return 1;
    if (U16(t + e) == 0x0112) {
      unsigned v = U16(t + e + 8);
      return v >= 1 && v <= 8 ? (int)v : 1;
    }
  }
  return 1;
#undef U16
#undef U32
}

/* An ICC profile is acceptable when it is an sRGB one (its description mentions sRGB); others need sharp. */
static int icc_ok(struct jpeg_decompress_struct *c) {
  for (jpeg_saved_marker_ptr m = c->marker_list; m; m = m->next) {
    if (m->marker != JPEG_APP0 + 2 || m->data_length < 14 || memcmp(m->data, "ICC_PROFILE", 12) != 0) continue;
    const unsigned char *p = m->data + 14;
    unsigned n = m->data_length - 14;
    if (n > 4096) n = 4096;
    for (unsigned i = 0; i + 4 <= n; i++) {
      if (p[i] == 's' && p[i + 1] == 'R' && p[i + 2] == 'G' && p[i + 3] == 'B') return 1;
      if (i + 8 <= n && p[i] == 's' && p[i + 1] == 0 && p[i + 2] == 'R' && p[i + 3] == 0 && p[i + 4] == 'G' &&
          p[i + 5] == 0 && p[i + 6] == 'B')
        return 1;
    }
    return 0;
  }
  return 1;
}

/* libjpeg reports through `e` (errors longjmp to e->jump, warnings are counted) and prints nothing. */
static void quiet_errors(struct jpeg_decompress_struct *c, err_mgr *e) {
  c->err = jpeg_std_error(&e->pub);
  e->pub.error_exit = on_error;
  e->pub.emit_message = on_message;
  e->pub.output_message = no_output;
  e->warnings = 0;
}

/* Declares a decompressor `c` reporting to `e`; a libjpeg error then returns `fail` from the calling binding
 * (setjmp must run in the frame that stays alive, hence a macro). */
#define TK_JPEG_BEGIN(c, e, fail)   \
  struct jpeg_decompress_struct c; \
  err_mgr e;                       \
  quiet_errors(&c, &e);            \
  if (setjmp(e.jump)) {            \
    jpeg_destroy_decompress(&c);   \
    return fail;                   \
  }                                \
  jpeg_create_decompress(&c)

/* [v0, v1, …] as a JavaScript array. */
static napi_value int_array(napi_env env, int n, const int *v) {
  napi_value arr;
  napi_create_array_with_length(env, (size_t)n, &arr);
  for (int i = 0; i < n; i++) napi_set_element(env, arr, (uint32_t)i, tk_int(env, v[i]));
  return arr;
}

static napi_value jpeg_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], nul;
  napi_get_null(env, &nul);
  unsigned char *data;
  size_t len;
  if (tk_args(env, info, 1, argv, NULL) || !tk_bytes(env, argv[0], &data, &len)) return nul;
  TK_JPEG_BEGIN(c, e, nul);
  jpeg_save_markers(&c, JPEG_APP0 + 1, 0xffff);
  jpeg_save_markers(&c, JPEG_APP0 + 2, 0xffff);
  jpeg_mem_src(&c, data, (unsigned long)len);
  jpeg_read_header(&c, TRUE);
  int orientation = 1;
  for (jpeg_saved_marker_ptr m = c.marker_list; m; m = m->next) {
    if (m->marker == JPEG_APP0 + 1) {
      int o = exif_orientation(m->data, m->data_length);
      if (o != 1) {
        orientation = o;
        break;
      }
    }
  }
  int cs = c.jpeg_color_space;
  int supported = (cs == JCS_YCbCr || cs == JCS_GRAYSCALE || cs == JCS_RGB) && icc_ok(&c) && e.warnings == 0;
  const int result[4] = {(int)c.image_width, (int)c.image_height, orientation, supported};
  jpeg_destroy_decompress(&c);
  return int_array(env, 4, result);
}

/* jpegDecode(buf, scale, gray, flags, out) -> [width, height] | null. Decodes straight into `out` (a reusable
 * scratch buffer the caller sized from jpegInfo); null when it is too small or anything goes wrong. */
static napi_value jpeg_decode(napi_env env, napi_callback_info info) {
  napi_value argv[5], nul;
  napi_get_null(env, &nul);
  unsigned char *data, *dst;
  size_t len, cap;
  int32_t v[3] = {8, 0, 0}; /* scale, gray, flags */
  if (tk_args(env, info, 5, argv, NULL) || !tk_bytes(env, argv[0], &data, &len) || !tk_bytes(env, argv[4], &dst, &cap))
    return nul;
  tk_i32s(env, argv + 1, 3, v);
  const int32_t scale = v[0], gray = v[1], flags = v[2];
  if (scale < 1 || scale > 8) return nul;
  TK_JPEG_BEGIN(c, e, nul);
  jpeg_mem_src(&c, data, (unsigned long)len);
  jpeg_read_header(&c, TRUE);
  int cs = c.jpeg_color_space;
  if (!(cs == JCS_YCbCr || cs == JCS_GRAYSCALE || cs == JCS_RGB)) {
    jpeg_destroy_decompress(&c);
    return nul;
  }
  c.scale_num = (unsigned)scale;
  c.scale_denom = 8;
  c.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
  if (flags & 1) c.dct_method = JDCT_IFAST;
  if (flags & 2) c.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&c);
  size_t stride = (size_t)c.output_width * (size_t)c.output_components;
  if (stride * c.output_height > cap) {
    jpeg_destroy_decompress(&c);
    return nul;
  }
  JSAMPROW rows[16];
  while (c.output_scanline < c.output_height) {
    for (int k = 0; k < 16; k++) rows[k] = dst + (size_t)(c.output_scanline + k) * stride;
    unsigned left = c.output_height - c.output_scanline;
    jpeg_read_scanlines(&c, rows, left < 16 ? left : 16);
  }
  jpeg_finish_decompress(&c);
  const int size[2] = {(int)c.output_width, (int)c.output_height}, warned = e.warnings;
  jpeg_destroy_decompress(&c);
  return warned ? nul : int_array(env, 2, size);
}

/* Mirrors resizeRaw.ts: Pillow-style fixed point (22-bit coefficients, 8-bit intermediate), integer arithmetic. */
#define PRECISION_BITS 22
static inline unsigned char clip8(int32_t a) {
  int32_t v = a >> PRECISION_BITS;
  return v <= 0 ? 0 : v >= 255 ? 255 : (unsigned char)v;
}

/* The loops, compiled for AVX2 and for baseline x86-64 (chosen at load time by the dynamic linker): integer
 * arithmetic, so both clones give identical bytes. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void resample_core(const unsigned char *src, int32_t w, int32_t c, int32_t yLo, int32_t yHi, const int32_t *hs,
                          const int32_t *hc, int32_t hTaps, const int32_t *hw, const int32_t *vs, const int32_t *vc,
                          int32_t vTaps, const int32_t *vw, int32_t cw, int32_t ch, unsigned char *out,
                          int32_t outOffset, int32_t outW, int32_t padX, int32_t padY, unsigned char *tmp,
                          int32_t *acc, size_t rowLen) {
  const int32_t half = 1 << (PRECISION_BITS - 1);
  size_t t = 0;
  for (int y = yLo; y < yHi; y++) {
    const unsigned char *row = src + (size_t)y * (size_t)w * (size_t)c;
    if (c == 3 && hTaps == 3 && hc[0] == 3) {
      /* The common case (mild downscale or any upscale, bilinear): fixed three taps, unrolled. */
      for (int x = 0; x < cw; x++) {
        const unsigned char *s = row + (size_t)hs[x] * 3;
        const int32_t *wt = hw + (size_t)x * 3;
        int32_t w0 = wt[0], w1 = wt[1], w2 = wt[2];
        tmp[t++] = clip8(half + w0 * s[0] + w1 * s[3] + w2 * s[6]);
        tmp[t++] = clip8(half + w0 * s[1] + w1 * s[4] + w2 * s[7]);
        tmp[t++] = clip8(half + w0 * s[2] + w1 * s[5] + w2 * s[8]);
      }
      continue;
    }
    for (int x = 0; x < cw; x++) {
      const unsigned char *s = row + (size_t)hs[x] * (size_t)c;
      const int32_t *wt = hw + (size_t)x * (size_t)hTaps;
      int cnt = hc[x];
      if (c == 3) {
        int32_t r = half, g = half, b = half;
        for (int j = 0; j < cnt; j++, s += 3) {
          r += wt[j] * s[0];
          g += wt[j] * s[1];
          b += wt[j] * s[2];
        }
        tmp[t++] = clip8(r);
        tmp[t++] = clip8(g);
        tmp[t++] = clip8(b);
      } else {
        for (int k = 0; k < c; k++) {
          int32_t a = half;
          for (int j = 0; j < cnt; j++) a += wt[j] * s[(size_t)j * (size_t)c + (size_t)k];
          tmp[t++] = clip8(a);
        }
      }
    }
  }
  for (int y = 0; y < ch; y++) {
    int s0 = vs[y] - yLo, cnt = vc[y];
    const int32_t *wt = vw + (size_t)y * (size_t)vTaps;
    unsigned char *o = out + outOffset + ((size_t)(y + padY) * (size_t)outW + (size_t)padX) * (size_t)c;
    if (cnt == 3) {
      const unsigned char *r0 = tmp + (size_t)s0 * rowLen, *r1 = r0 + rowLen, *r2 = r1 + rowLen;
      int32_t w0 = wt[0], w1 = wt[1], w2 = wt[2];
      for (size_t i = 0; i < rowLen; i++) o[i] = clip8(half + w0 * r0[i] + w1 * r1[i] + w2 * r2[i]);
      continue;
    }
    /* Tap-outer order: sums are exact integers, so the order does not change the result (unlike floats). */
    for (size_t i = 0; i < rowLen; i++) acc[i] = half;
    for (int j = 0; j < cnt; j++) {
      int32_t wj = wt[j];
      const unsigned char *base = tmp + (size_t)(s0 + j) * rowLen;
      for (size_t i = 0; i < rowLen; i++) acc[i] += wj * base[i];
    }
    for (size_t i = 0; i < rowLen; i++) o[i] = clip8(acc[i]);
  }
}

static napi_value resample(napi_env env, napi_callback_info info) {
  napi_value argv[20], undef;
  napi_get_undefined(env, &undef);
  if (tk_args(env, info, 20, argv, NULL)) return undef;
  unsigned char *src = NULL, *out = NULL, *hsB = NULL, *hcB = NULL, *hwB = NULL, *vsB = NULL, *vcB = NULL,
                *vwB = NULL;
  size_t n;
  int32_t v[20] = {0}; /* the number arguments, at their positions */
  tk_i32s(env, argv, 20, v);
  const int32_t w = v[1], c = v[2], yLo = v[3], yHi = v[4], hTaps = v[7], vTaps = v[11], cw = v[13], ch = v[14],
                outOffset = v[16], outW = v[17], padX = v[18], padY = v[19];
  tk_bytes(env, argv[0], &src, &n);
  tk_bytes(env, argv[5], &hsB, &n);
  tk_bytes(env, argv[6], &hcB, &n);
  tk_bytes(env, argv[8], &hwB, &n);
  tk_bytes(env, argv[9], &vsB, &n);
  tk_bytes(env, argv[10], &vcB, &n);
  tk_bytes(env, argv[12], &vwB, &n);
  tk_bytes(env, argv[15], &out, &n);
  if (!src || !out || !hsB || !hcB || !hwB || !vsB || !vcB || !vwB) return undef;
  const int32_t *hs = (const int32_t *)hsB, *hc = (const int32_t *)hcB, *vs = (const int32_t *)vsB,
                *vc = (const int32_t *)vcB, *hw = (const int32_t *)hwB, *vw = (const int32_t *)vwB;
  size_t rowLen = (size_t)cw * (size_t)c;
  unsigned char *tmp = (unsigned char *)malloc((size_t)(yHi - yLo) * rowLen + 1);
  int32_t *acc = (int32_t *)malloc(sizeof(int32_t) * rowLen + 8);
  if (!tmp || !acc) {
    free(tmp);
    free(acc);
    return undef;
  }
  resample_core(src, w, c, yLo, yHi, hs, hc, hTaps, hw, vs, vc, vTaps, vw, cw, ch, out, outOffset, outW, padX, padY,
                tmp, acc, rowLen);
  free(tmp);
  free(acc);
  return undef;
}

/* orient(src, w, h, c, orientation, dst): EXIF orientation 2..8 applied into dst (same size), as orient.ts does. */
static napi_value orient_px(napi_env env, napi_callback_info info) {
  napi_value argv[6], undef;
  napi_get_undefined(env, &undef);
  unsigned char *src = NULL, *dst = NULL;
  size_t ns = 0, nd = 0;
  int32_t v[4] = {0, 0, 0, 1}; /* w, h, c, orientation */
  if (tk_args(env, info, 6, argv, NULL) || !tk_bytes(env, argv[0], &src, &ns) || !tk_bytes(env, argv[5], &dst, &nd))
    return undef;
  tk_i32s(env, argv + 1, 4, v);
  const int32_t w = v[0], h = v[1], c = v[2], o = v[3];
  size_t total = (size_t)w * (size_t)h * (size_t)c;
  if (w <= 0 || h <= 0 || c <= 0 || ns < total || nd < total) return undef;
  int swap = o >= 5;
  int ow = swap ? h : w, oh = swap ? w : h;
  for (int y = 0; y < oh; y++) {
    for (int x = 0; x < ow; x++) {
      int sx, sy;
      switch (o) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        case 8: sx = w - 1 - y; sy = x; break;
        default: sx = x; sy = y;
      }
      const unsigned char *sp = src + ((size_t)sy * (size_t)w + (size_t)sx) * (size_t)c;
      unsigned char *dp = dst + ((size_t)y * (size_t)ow + (size_t)x) * (size_t)c;
      for (int k = 0; k < c; k++) dp[k] = sp[k];
    }
  }
  return undef;
}

#ifdef TK_ZLIB
/* inflate(src, dst) -> bytes written, or -1 (corrupt data, or dst too small): one zlib stream (PNG IDAT data)
 * into the caller's scratch buffer, without the per-call stream object and output buffer node:zlib allocates. */
static napi_value inflate_into(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  unsigned char *src = NULL, *dst = NULL;
  size_t ns = 0, nd = 0;
  if (tk_args(env, info, 2, argv, NULL) || !tk_bytes(env, argv[0], &src, &ns) || !tk_bytes(env, argv[1], &dst, &nd))
    return tk_int(env, -1);
  uLongf out = (uLongf)nd;
  int rc = uncompress(dst, &out, src, (uLong)ns);
  return tk_int(env, rc == Z_OK ? (int)out : -1);
}
#endif

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"jpegInfo", NULL, jpeg_info, NULL, NULL, NULL, napi_default, NULL},
      {"jpegDecode", NULL, jpeg_decode, NULL, NULL, NULL, napi_default, NULL},
      {"resample", NULL, resample, NULL, NULL, NULL, napi_default, NULL},
      {"orient", NULL, orient_px, NULL, NULL, NULL, napi_default, NULL},
#ifdef TK_ZLIB
      {"inflate", NULL, inflate_into, NULL, NULL, NULL, napi_default, NULL},
#endif
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
