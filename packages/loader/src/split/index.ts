export { holdOutClasses, parseClassList } from './selectClasses.ts';
export { type SplitOptions, type SplitResult, splitImages } from './splitImages.ts';
export { splitOptionSpecs } from './splitOptionSpecs.ts';
