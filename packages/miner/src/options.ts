// `@tripletkit/miner/options`: the option specs of the miner's public functions, light (no Arrow, no kernel).
export { episodeOptionSpecs } from './metrics/episodeOptionSpecs.ts';
export { verificationOptionSpecs } from './metrics/verificationOptionSpecs.ts';
export * from './mineFileOptionSpecs.ts';
