/**
 * `tf.variableGrads` with the memory of a PyTorch backward pass: every tensor the forward pass saved for a gradient,
 * and every intermediate gradient, is released as soon as the backward walk has passed the op that needed it.
 *
 * tfjs keeps all of them until the whole backward pass ends, and saves more than a gradient needs: Add keeps both
 * inputs (only their shapes matter), ReLU keeps its input (its output says the same where it is positive). For
 * small-cnn on 120 images at 96×96 RGB that was a 1.5 GB wasm heap per worker (heaps never shrink). Here ReLU keeps
 * its output (which the next max-pool keeps anyway), Add keeps nothing (its gradient reads the shapes from the tape),
 * and the walk frees as it goes. The gradients are the same ops in the same order: bit-identical to tfjs's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { RELU_GRAD } from '../backend/kernels/reluGrad.ts';

/** One entry of the engine's tape (tfjs-core's TapeNode). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

/** The engine members this walk uses (public in the JS, not in the typings). */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string, fn: () => T): T;
}

/** ReLU's gradient from its output: y > 0 exactly where x > 0. */
const reluFromOutput: tf.GradConfig = {
  kernelName: tf.Relu,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    const d = dy as tf.Tensor;
    if (tf.getKernel(RELU_GRAD, tf.getBackend())) {
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: d, x: y }) as tf.Tensor };
    }
    return { x: () => tf.mul(d, tf.step(tf.cast(y, 'float32'))) };
  },
};

/** Add saves nothing: the walk below reduces dy to each input's shape, read from the tape node. */
const addSavesNothing: tf.GradConfig = {
  kernelName: tf.Add,
  inputsToSave: [],
  gradFunc: () => {
    throw new Error('Add gradient outside leanVariableGrads');
  },
};

/** The gradient of a broadcasting Add for one input: dy summed over the broadcast axes, in the input's shape. */
function addGradient(dy: tf.Tensor, node: TapeNode): Record<string, () => tf.Tensor> {
  const { a, b } = node.inputs as { a?: tf.Tensor; b?: tf.Tensor };
  const outShape = dy.shape;
  const reduce = (shape: number[]) => () => {
    const axes = tf.backend_util.getReductionAxes(shape, outShape);
    return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
  };
  const out: Record<string, () => tf.Tensor> = {};
  if (a) out.a = reduce(a.shape);
  if (b) out.b = reduce(b.shape);
  return out;
}

/** The tape nodes on a path from `xs` to `y`, each with only the inputs that come from `xs` (tfjs's pruning). */
function pathFromTo(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodesFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      nodesToY.add(node.id);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  return tape
    .filter((n) => nodesFromX.has(n.id) && nodesToY.has(n.id))
    .map((n) => ({
      ...n,
      inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))),
    }));
}

/**
 * Gradients of the scalar `f()` with respect to `vars`, like `tf.variableGrads(f, vars)` (same values, same keys),
 * releasing saved activations and gradients during the backward walk. Inside another gradient (a higher-order
 * gradient needs the whole tape) it is tf.variableGrads.
 *
 * @example
 * const { value, grads } = leanVariableGrads(() => loss(model.apply(x) as tf.Tensor), vars);
 */
export function leanVariableGrads(
  f: () => tf.Scalar,
  vars: tf.Variable[],
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.state.gradientDepth > 0) return tf.variableGrads(f, vars);
  const restore = [tf.getGradient(tf.Relu), tf.getGradient(tf.Add)];
  tf.registerGradient(reluFromOutput);
  tf.registerGradient(addSavesNothing);
  let y: tf.Scalar;
  engine.startTape();
  try {
    y = engine.tidy('forward', f);
  } finally {
    engine.endTape();
    for (const g of restore) if (g) tf.registerGradient(g);
  }
  const tape = engine.state.activeTape ?? [];
  const nodes = pathFromTo(tape, vars, y);
  return engine.tidy('backward', () => {
    const wanted = new Set(vars.map((v) => v.id));
    const grads = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
    const release = (t: tf.Tensor) => {
      for (const g of grads.values()) if (g === t) return;
      t.dispose();
    };
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
      let fns: Record<string, () => tf.Tensor>;
      if (node.kernelName === tf.Add) {
        fns = addGradient(dys[0] ?? tf.zeros(node.outputs[0].shape), node);
      } else if (node.gradient) {
        fns = node.gradient(dys);
      } else throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
      for (const name of Object.keys(node.inputs)) {
        const x = node.inputs[name];
        const dx = engine.tidy(name, () => fns[name]());
        const previous = grads.get(x.id);
        grads.set(x.id, previous ? tf.add(previous, dx) : dx);
        if (previous) {
          release(previous);
          release(dx);
        }
      }
      // This op's output gradients and saved tensors are needed by no op earlier on the tape.
      for (const o of node.outputs) {
        const dy = grads.get(o.id);
        if (!dy || wanted.has(o.id)) continue;
        grads.delete(o.id);
        release(dy);
      }
      for (const t of node.saved ?? []) release(t);
    }
    const named: Record<string, tf.Tensor> = {};
    for (const v of vars) {
      const g = grads.get(v.id);
      if (g) named[v.name] = g;
    }
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
    engine.state.activeTape = null;
    return { value: y, grads: named };
  });
}
