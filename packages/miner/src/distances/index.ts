export type { Distance, TensorOps } from './distance.ts';
export { distanceTile, kernelInfo } from './distanceTile.ts';
export { l2Normalize } from './l2Normalize.ts';
export { DISTANCE_KINDS, DISTANCES, type DistanceKind, getDistance, isSimilarity } from './registry.ts';
export { squaredNorms } from './squaredNorms.ts';
