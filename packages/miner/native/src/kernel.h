/* Distance tile kernel: packing, register-blocked micro-kernels, runtime ISA dispatch. See kernel.c. */
#ifndef TRIPLETKIT_KERNEL_H
#define TRIPLETKIT_KERNEL_H
#include <stddef.h>

#define TK_EUCLIDEAN 0
#define TK_SQUARED 1
#define TK_COSINE 2

/* Grow-only packing buffers, one set per JavaScript environment (main thread or worker). */
typedef struct {
  float *pa, *pb, *na, *nb;
  size_t pa_cap, pb_cap, na_cap, nb_cap;
  int *cand; /* the window selection's scratch (addon.c), freed by addon.c */
  size_t cand_cap;
} tk_buffers;

/* The micro-kernel family picked once from cpuid: "avx512", "avx2" or "scalar". */
const char *tk_isa(void);

/* out[i*b_rows + j] = distance(a row i, b row j). Returns 0, or -1 when memory runs out. */
int tk_tile(tk_buffers *buf, const float *a, int a_rows, const float *b, int b_rows, int dim, int kind, float *out,
            const float *a_norms, const float *b_norms);

void tk_buffers_free(tk_buffers *buf);

#endif
