// `@tripletkit/miner/options`: the option specs of the miner's public functions, light (no Arrow, no kernel).

export { DISTANCES } from './distances/registry.ts';
export { episodeOptionSpecs } from './metrics/episodeOptionSpecs.ts';
export { verificationOptionSpecs } from './metrics/verificationOptionSpecs.ts';
export * from './mineFileOptionSpecs.ts';
export { distanceHelp, searchDistanceHelp, strategyHelp } from './registryHelp.ts';
export { STRATEGY_DEFS } from './strategies/registry.ts';
