import type { DistanceKind } from '@tripletkit/miner';
import type { BackendChoice, EvaluateResult, Features } from '@tripletkit/trainer';
import { BACKEND_CHOICES, DISTANCE_KINDS, FEATURES } from '../choices.ts';
import { defineCommand } from '../command.ts';
import { fewShotTable, verificationTable } from '../tables/fewShotTable.ts';
import { metricsTable } from '../tables/metricsTable.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const evaluate: typeof import('@tripletkit/trainer').evaluate = async (o) =>
  (await import('@tripletkit/trainer')).evaluate(o);

interface EvalArgs {
  embeddings?: string;
  reference?: string;
  images?: string;
  referenceImages?: string;
  model?: string;
  backend: BackendChoice;
  features: Features;
  distance: DistanceKind;
  normalize: boolean;
  fewShot: boolean;
  ways: number;
  shots: number;
  queries: number;
  episodes: number;
  seed: number;
  verification: boolean;
  pairs: number;
  far: number;
}

/** `tripletkit eval`: precision@1, R-precision and MAP@R (PML's AccuracyCalculator semantics), overall and per class. */
export const evalCommand = defineCommand<EvalArgs, EvaluateResult & { classCount: number }>({
  command: 'eval',
  describe: 'Retrieval metrics of embeddings: precision@1, R-precision, MAP@R, overall and per class',
  options: {
    embeddings: {
      type: 'string',
      alias: 'e',
      describe: 'Query embeddings (Arrow: embedding FixedSizeList<Float32>, label Int32)',
    },
    reference: {
      type: 'string',
      alias: 'r',
      describe: 'Reference embeddings to retrieve from (default: the queries themselves, each query excluded)',
    },
    images: {
      type: 'string',
      alias: 'i',
      describe: 'Query images (tripletkit load output): embedded with --model, or raw pixels without it (baseline)',
    },
    'reference-images': { type: 'string', describe: 'Reference images (with --images)' },
    model: { type: 'string', alias: 'm', describe: 'Model directory (tripletkit train output) that embeds --images' },
    backend: {
      choices: BACKEND_CHOICES as unknown as string[],
      default: 'auto',
      describe: 'TF.js backend for --model',
    },
    features: {
      choices: FEATURES as unknown as string[],
      default: 'auto',
      describe:
        'With --model: embedding (its output), backbone (features before its projection head: best on classes it never saw), auto (backbone when no class at hand was trained on)',
    },
    distance: {
      choices: DISTANCE_KINDS as unknown as string[],
      default: 'euclidean',
      describe: 'Nearest-neighbour distance (cosine = similarity on L2-normalised rows)',
    },
    normalize: {
      type: 'boolean',
      default: false,
      describe: 'L2-normalise embeddings before a Euclidean search (PML AccuracyCalculator does not)',
    },
    'few-shot': {
      type: 'boolean',
      default: false,
      describe: 'Also N-way K-shot accuracy on seeded episodes of the query file (nearest support and prototype)',
    },
    ways: { type: 'number', default: 5, describe: 'Few-shot: classes per episode' },
    shots: { type: 'number', default: 1, describe: 'Few-shot: support examples per class' },
    queries: { type: 'number', default: 15, describe: 'Few-shot: query examples per class' },
    episodes: { type: 'number', default: 600, describe: 'Few-shot: episodes (the CI narrows as 1/√episodes)' },
    seed: { type: 'number', default: 0, describe: 'Seed of the few-shot episodes and verification pairs' },
    verification: {
      type: 'boolean',
      default: false,
      describe: 'Also same/different verification: ROC AUC, EER, TAR at --far, with thresholds',
    },
    pairs: { type: 'number', default: 10000, describe: 'Verification: same-class pairs (and as many different)' },
    far: { type: 'number', default: 1e-3, describe: 'Verification: false accept rate at which TAR is reported' },
  },
  examples: [
    ['tripletkit eval --embeddings test-emb.arrow', 'test set against itself, as in "A Metric Learning Reality Check"'],
    ['tripletkit eval -e test-emb.arrow -r train-emb.arrow --json', 'test queries against training references'],
    ['tripletkit eval --model runs/mnist/model --images test.arrow', 'embed with a model, then evaluate'],
    ['tripletkit eval --images test.arrow', 'raw pixels as embeddings: the baseline to beat'],
    [
      'tripletkit eval --model runs/digits --images unseen.arrow --few-shot --ways 5 --shots 1',
      '5-way 1-shot accuracy on classes the model never saw',
    ],
    ['tripletkit eval -e emb.arrow --verification', 'ROC AUC, EER and TAR at FAR 1e-3 on same/different pairs'],
  ],
  run: async (args) => {
    const r = await evaluate({
      embeddings: args.embeddings,
      reference: args.reference,
      images: args.images,
      referenceImages: args.referenceImages,
      model: args.model,
      backend: args.backend,
      features: args.features,
      distance: args.distance,
      normalize: args.normalize,
      ...(args.fewShot
        ? {
            fewShot: {
              ways: args.ways,
              shots: args.shots,
              queries: args.queries,
              episodes: args.episodes,
              seed: args.seed,
            },
          }
        : {}),
      ...(args.verification ? { verification: { pairs: args.pairs, seed: args.seed, farTarget: args.far } } : {}),
    });
    return { ...r, classCount: new Set(r.perClass.map((c) => c.label)).size };
  },
  summarize: (r) => [
    `${r.source === 'raw-pixels' ? 'raw pixels of ' : r.source === 'model' ? `model ${r.features === 'backbone' ? 'backbone features' : 'embeddings'} of ` : ''}${r.queryFile} (${r.dim}-d)`,
    '',
    ...metricsTable(r, r.classes),
    ...(r.fewShot ? ['', ...fewShotTable([[r.source === 'raw-pixels' ? 'raw pixels' : 'embeddings', r.fewShot]])] : []),
    ...(r.verification ? ['', ...verificationTable(r.verification)] : []),
  ],
});
