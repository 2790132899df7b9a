/**
 * The choice lists the commands' options offer, written out here so that building the parser (and `--help`,
 * `--version`) imports no library: each command imports its library only when it runs. test/cli-choices.test.ts
 * checks they equal the libraries' own lists.
 */
import type { DistanceKind, Strategy } from '@tripletkit/miner';
import type { BackendChoice, EncoderName, Features, OnlineMining, Reduction } from '@tripletkit/trainer';

export const STRATEGIES: readonly Strategy[] = ['all', 'hard', 'semi-hard', 'easy', 'batch-hard'];
export const DISTANCE_KINDS: readonly DistanceKind[] = ['euclidean', 'squared-euclidean', 'cosine'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
export const ENCODERS: readonly EncoderName[] = ['small-cnn', 'resnet-small'];
export const ONLINE_MINING: readonly OnlineMining[] = ['semi-hard', 'semi-hard-tfa', 'hard', 'batch-hard', 'batch-all'];
export const REDUCTIONS: readonly Reduction[] = ['nonzero-mean', 'mean', 'soft-margin'];
export const FEATURES: readonly Features[] = ['embedding', 'backbone', 'auto'];
