/**
 * The L2-normalisation layer that ends every tripletkit encoder, so the saved model itself outputs unit vectors
 * (what PML's default LpDistance(normalize_embeddings=True) compares). tfjs-layers has no such layer built in.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * x / max(‖x‖₂, 1e-12) over the last axis (torch.nn.functional.normalize's rule).
 *
 * Registered with tf.serialization under the class name `L2Normalize`: import `@tripletkit/trainer` (or register
 * this class) before `tf.loadLayersModel` on a tripletkit model.
 *
 * @example
 * const out = new L2Normalize().apply(dense.apply(x));
 */
export class L2Normalize extends tfl.layers.Layer {
  static className = 'L2Normalize';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const norm = tf.sqrt(tf.sum(tf.square(x), -1, true));
      return tf.div(x, tf.maximum(norm, 1e-12));
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }
}

tf.serialization.registerClass(L2Normalize);
