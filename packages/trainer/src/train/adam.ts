/**
 * Adam (Kingma & Ba; tfjs's defaults: β₁ 0.9, β₂ 0.999, ε 1e-7) in two places, same math and same saved state:
 * - `apply`: on plain Float32Arrays, one fused pass per weight instead of ~10 tfjs ops per variable — the update is
 *   serial work on the coordinating thread between data-parallel steps (wasm/cpu), so it must be cheap;
 * - `applyToVariables`: on backend tensors (libtensorflow, possibly a GPU) — the moments live beside the weights as
 *   variables, so a step never downloads weights or gradients.
 * The state (moments, step count, running β powers) is saved with checkpoints in one format, so a resumed run
 * continues bit-identically on the same backend, and a checkpoint moves between backends.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A named tensor, the format checkpoints store optimizer state in. */
export interface NamedState {
  name: string;
  tensor: tf.Tensor;
}

export class Adam {
  private m: Float32Array[] = [];
  private v: Float32Array[] = [];
  /** The moments as backend variables once `applyToVariables` ran (then `m`/`v` are stale). */
  private mVar: tf.Variable[] = [];
  private vVar: tf.Variable[] = [];
  private iterations = 0;
  private accBeta1: number;
  private accBeta2: number;

  /**
   * @example
   * const adam = new Adam(1e-3);
   * adam.apply(params, grads, 1 / batchLoss Denominator);
   */
  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {
    this.accBeta1 = beta1;
    this.accBeta2 = beta2;
  }

  /** One update: params[i] −= lr·m̂/(√v̂ + ε) with the gradient grads[i]·scale. */
  apply(params: Float32Array[], grads: Float32Array[], scale: number): void {
    if (this.mVar.length) this.toHost();
    if (this.m.length === 0) {
      this.m = params.map((p) => new Float32Array(p.length));
      this.v = params.map((p) => new Float32Array(p.length));
    }
    const { beta1, beta2, epsilon, learningRate: lr } = this;
    const c1 = 1 / (1 - this.accBeta1);
    const c2 = 1 / (1 - this.accBeta2);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const g = grads[i];
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < p.length; j++) {
        const gj = g[j] * scale;
        const mj = beta1 * m[j] + (1 - beta1) * gj;
        const vj = beta2 * v[j] + (1 - beta2) * gj * gj;
        m[j] = mj;
        v[j] = vj;
        p[j] -= (lr * (mj * c1)) / (Math.sqrt(vj * c2) + epsilon);
      }
    }
    this.accBeta1 = Math.fround(this.accBeta1 * beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * beta2);
    this.iterations++;
  }

  /**
   * The same update on backend variables, in place: only three scalars (scale and the bias corrections) go in.
   *
   * @example
   * adam.applyToVariables(vars, gradTensors, 1 / denominator);
   */
  applyToVariables(vars: tf.Variable[], grads: tf.Tensor[], scale: number): void {
    if (this.mVar.length === 0) {
      const restored = this.m.length === vars.length;
      this.mVar = vars.map((p, i) => tf.variable(restored ? tf.tensor(this.m[i], p.shape) : tf.zerosLike(p), false));
      this.vVar = vars.map((p, i) => tf.variable(restored ? tf.tensor(this.v[i], p.shape) : tf.zerosLike(p), false));
      this.m = [];
      this.v = [];
    }
    const { beta1, beta2, epsilon, learningRate: lr } = this;
    tf.tidy(() => {
      const s = tf.scalar(scale);
      const c1lr = tf.scalar(lr / (1 - this.accBeta1));
      const c2 = tf.scalar(1 / (1 - this.accBeta2));
      for (let i = 0; i < vars.length; i++) {
        const g = tf.mul(grads[i], s);
        const m = tf.add(tf.mul(this.mVar[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.vVar[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.mVar[i].assign(m);
        this.vVar[i].assign(v);
        vars[i].assign(tf.sub(vars[i], tf.div(tf.mul(m, c1lr), tf.add(tf.sqrt(tf.mul(v, c2)), epsilon))));
      }
    });
    this.accBeta1 = Math.fround(this.accBeta1 * beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * beta2);
    this.iterations++;
  }

  /** Moves the moments from backend variables back to Float32Arrays (a switch from `applyToVariables` to `apply`). */
  private toHost(): void {
    this.m = this.mVar.map((t) => Float32Array.from(t.dataSync()));
    this.v = this.vVar.map((t) => Float32Array.from(t.dataSync()));
    this.dispose();
  }

  /** Frees the backend variables (the state then lives on the host). */
  dispose(): void {
    tf.dispose([...this.mVar, ...this.vVar]);
    this.mVar = [];
    this.vVar = [];
  }

  /** The state as named tensors (for checkpoints). */
  async getWeights(): Promise<NamedState[]> {
    const m = this.mVar.length ? this.mVar.map((t) => t.dataSync() as Float32Array) : this.m;
    const v = this.vVar.length ? this.vVar.map((t) => t.dataSync() as Float32Array) : this.v;
    const scalars = [
      { name: 'iter', tensor: tf.scalar(this.iterations, 'int32') },
      { name: 'accBeta1', tensor: tf.scalar(this.accBeta1) },
      { name: 'accBeta2', tensor: tf.scalar(this.accBeta2) },
    ];
    return [
      ...scalars,
      ...m.map((x, i) => ({ name: `m/${i}`, tensor: tf.tensor1d(x) })),
      ...v.map((x, i) => ({ name: `v/${i}`, tensor: tf.tensor1d(x) })),
    ];
  }

  /** Restores {@link getWeights}'s output. */
  async setWeights(state: NamedState[]): Promise<void> {
    this.dispose();
    const get = (name: string) => state.find((s) => s.name === name)?.tensor.dataSync();
    this.iterations = Number(get('iter')?.[0] ?? 0);
    this.accBeta1 = Number(get('accBeta1')?.[0] ?? this.beta1);
    this.accBeta2 = Number(get('accBeta2')?.[0] ?? this.beta2);
    const list = (prefix: string) =>
      state
        .filter((s) => s.name.startsWith(prefix))
        .sort((a, b) => Number(a.name.slice(prefix.length)) - Number(b.name.slice(prefix.length)))
        .map((s) => Float32Array.from(s.tensor.dataSync()));
    this.m = list('m/');
    this.v = list('v/');
  }
}
