/**
 * What a distance is to tripletkit, PML-style: one object per distance (one file each, listed in registry.ts) that
 * every part of the toolkit reads instead of testing names. Adding a distance = one file here plus its tests; only a
 * distance whose tile epilogue is new also needs a kernel code (jsKernel.ts and native/src/kernel.c, kept bit-equal).
 */

/**
 * The few tensor operations a distance matrix needs, as @tensorflow/tfjs-core provides them. The miner does not
 * depend on tfjs: the trainer passes its `tf` namespace, so a distance's training-time matrix lives in the same file
 * as its mining-time kernel.
 */
export interface TensorOps<T> {
  sum(x: T, axis: number): T;
  square(x: T): T;
  matMul(a: T, b: T, transposeA: boolean, transposeB: boolean): T;
  add(a: T, b: T | number): T;
  sub(a: T, b: T | number): T;
  mul(a: T, b: T | number): T;
  sqrt(x: T): T;
  maximum(a: T, b: T | number): T;
  reshape(x: T, shape: number[]): T;
}

export interface Distance<Name extends string = string> {
  /** The name users write (`--distance`, `MineOptions.distance`). */
  readonly name: Name;
  /** PyTorch Metric Learning's equivalent, for docs and help. */
  readonly pml: string;
  /** True when bigger means closer (a similarity): PML inverts every comparison, and so does the miner. */
  readonly isSimilarity: boolean;
  /** The tile kernel needs the rows' squared norms (Lp distances); a dot-product similarity does not. */
  readonly needsNorms: boolean;
  /**
   * Nearest-neighbour search and the evaluation metrics always L2-normalise rows for it (a similarity of directions).
   * Mining normalises only when asked (PML's normalize_embeddings), whatever the distance.
   */
  readonly searchNormalizes: boolean;
  /** Epilogue code of the tile kernel (jsKernel.ts KIND_*, native/src/kernel.c): dot product and norms → value. */
  readonly kernel: number;
  /**
   * Smaller-is-closer score of two rows in float64 (verification and few-shot metrics): the distance itself, or
   * 1 − similarity.
   */
  dissimilarity(x: Float32Array, a: number, y: ArrayLike<number>, b: number, dim: number): number;
  /** The [n, n] matrix of the rows of `e` ([n, D]) in tensors, for the training loss (`ops`: the tfjs namespace). */
  matrix<T>(ops: TensorOps<T>, e: T): T;
}
