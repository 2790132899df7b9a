// `@tripletkit/loader/options`: the option specs of the loader's public functions, light (no sharp, no Arrow).
export * from './split/splitOptionSpecs.ts';
export * from './write/loadOptionSpecs.ts';
