/*
 * CPU feature detection shared by tripletkit's native addons (miner distance kernel, trainer GEMM/convolution).
 * Shipped in @tripletkit/common (native/include, put on the include path by @tripletkit/common/build-addon) so
 * `npm rebuild` of an installed package compiles it too.
 *
 * Compile time: TK_X86 when x86-64 intrinsics may be used, TK_AVX512 when AVX-512 ones may too. The build recipe
 * retries with -DTK_NO_AVX512, then -DTK_NO_SIMD, when an older compiler lacks them. No -march=native: SIMD code carries
 * its own target attributes and tk_cpu_isa() picks it at run time, so a prebuilt binary runs on any x86-64.
 */
#ifndef TRIPLETKIT_CPU_H
#define TRIPLETKIT_CPU_H

#include <stdlib.h>
#include <string.h>

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(TK_NO_SIMD)
#define TK_X86 1
#include <immintrin.h>
#if !defined(TK_NO_AVX512)
#define TK_AVX512 1
#endif
#endif

/* Instruction-set levels, in order: a kernel may use every level up to the one returned. */
enum { TK_ISA_SCALAR = 0, TK_ISA_AVX2 = 1, TK_ISA_AVX512 = 2 };

/*
 * The best level this CPU and this build support: AVX-512F, else AVX2 with FMA, else scalar. TRIPLETKIT_ISA=avx2 or
 * =scalar caps it (tests and benchmarks compare the variants on one machine). Cheap but not free: callers cache it.
 */
static inline int tk_cpu_isa(void) {
#ifdef TK_X86
  const char *force = getenv("TRIPLETKIT_ISA");
  __builtin_cpu_init();
  const int has2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (force && strcmp(force, "scalar") == 0) return TK_ISA_SCALAR;
  if (force && strcmp(force, "avx2") == 0) return has2 ? TK_ISA_AVX2 : TK_ISA_SCALAR;
#ifdef TK_AVX512
  if (__builtin_cpu_supports("avx512f")) return TK_ISA_AVX512;
#endif
  if (has2) return TK_ISA_AVX2;
#endif
  return TK_ISA_SCALAR;
}

/* The level's name as the addons' info() reports it: "avx512", "avx2" or "scalar". */
static inline const char *tk_isa_name(int isa) {
  return isa == TK_ISA_AVX512 ? "avx512" : isa == TK_ISA_AVX2 ? "avx2" : "scalar";
}

#endif
