// `@tripletkit/trainer/options`: the option specs of the trainer's public functions, without TensorFlow.js.
export { embedImagesOptionSpecs } from './embed/embedImagesOptionSpecs.ts';
export { evaluateOptionSpecs, FEATURES, type Features } from './evaluate/evaluateOptionSpecs.ts';
export { buildIndexOptionSpecs } from './search/buildIndexOptionSpecs.ts';
export { searchOptionSpecs } from './search/searchOptionSpecs.ts';
export * from './train/trainOptionSpecs.ts';
