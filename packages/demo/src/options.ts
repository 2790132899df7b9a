// `@tripletkit/demo/options`: the option specs of runDemo, without TensorFlow.js.
export { demoOptionSpecs } from './demoOptionSpecs.ts';
