export { distanceTile, kernelInfo } from './distanceTile.ts';
export { DISTANCE_KINDS, type DistanceKind, isSimilarity } from './kind.ts';
export { l2Normalize } from './l2Normalize.ts';
export { squaredNorms } from './squaredNorms.ts';
