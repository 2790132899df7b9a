import * as tfl from '@tensorflow/tfjs-layers';
import { TripletkitError } from '@tripletkit/common';
import { FEATURES, type Features } from '../evaluate/evaluateOptionSpecs.ts';
import { L2Normalize } from './l2Normalize.ts';

/**
 * Which representation a model gives:
 * - `embedding`: its output, the trained D-dimensional embedding (best on the classes it was trained on);
 * - `backbone`: the features that feed its projection head (its last dense layer), flattened and L2-normalised — the
 *   representation that transfers to classes never trained on (as SimCLR found for its projection head; measured in
 *   the README: digits 5–9 after training on 0–4);
 * - `auto`: `backbone` when none of the classes at hand was trained on (the model records its trained classes),
 *   else `embedding`.
 */
// Declared with evaluate's option specs (no tfjs there, for the CLI's parser).
export { FEATURES, type Features };

/**
 * Resolves `auto` against the classes at hand and the classes the model was trained on.
 *
 * @example
 * resolveFeatures('auto', ['0', '1', '2', '3', '4'], ['5', '6']); // 'backbone'
 */
export function resolveFeatures(
  features: Features,
  trainedClasses: readonly string[] | undefined,
  classesAtHand: readonly string[],
): 'embedding' | 'backbone' {
  if (features !== 'auto') return features;
  if (!trainedClasses || trainedClasses.length === 0 || classesAtHand.length === 0) return 'embedding';
  const trained = new Set(trainedClasses);
  return classesAtHand.some((c) => trained.has(c)) ? 'embedding' : 'backbone';
}

/**
 * The model that outputs a tripletkit encoder's backbone features: the input of its projection head (the last dense
 * layer, before the final L2Normalize), flattened and L2-normalised. Shares the weights of `model`.
 *
 * @example
 * const backbone = backboneModel(trained); // small-cnn: 3136-d features of 28×28 digits
 */
export function backboneModel(model: tfl.LayersModel): tfl.LayersModel {
  let x = model.outputs[0];
  const last = model.layers[model.layers.length - 1];
  if (last instanceof L2Normalize) x = last.input as tfl.SymbolicTensor;
  const head = x.sourceLayer;
  if (!(head instanceof tfl.layers.Layer) || head.getClassName() !== 'Dense') {
    throw new TripletkitError(
      'E_MODEL',
      'The model does not end in a dense projection head, so it has no backbone features.',
      {
        hint: 'Use --features embedding with this model (tripletkit train models all have a head).',
      },
    );
  }
  let f = head.input as tfl.SymbolicTensor;
  if (f.shape.length > 2) f = tfl.layers.flatten().apply(f) as tfl.SymbolicTensor;
  const out = new L2Normalize({ name: 'backbone_l2_normalize' }).apply(f) as tfl.SymbolicTensor;
  return tfl.model({ inputs: model.inputs, outputs: out, name: `${model.name}_backbone` });
}
