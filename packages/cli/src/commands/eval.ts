import type { DistanceKind } from '@tripletkit/miner';
import type { BackendChoice } from '@tripletkit/trainer';
import { BACKEND_CHOICES, DISTANCE_KINDS } from '../choices.ts';
import { defineCommand } from '../command.ts';
import type { EvaluateResult } from '../demo/evaluate.ts';
import { metricsTable } from '../demo/metricsTable.ts';

// Imported when the command runs, so that `--help` and the other commands do not pay for it.
const evaluate: typeof import('../demo/evaluate.ts').evaluate = async (o) =>
  (await import('../demo/evaluate.ts')).evaluate(o);

interface EvalArgs {
  embeddings?: string;
  reference?: string;
  images?: string;
  referenceImages?: string;
  model?: string;
  backend: BackendChoice;
  distance: DistanceKind;
  normalize: boolean;
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
  },
  examples: [
    ['tripletkit eval --embeddings test-emb.arrow', 'test set against itself, as in "A Metric Learning Reality Check"'],
    ['tripletkit eval -e test-emb.arrow -r train-emb.arrow --json', 'test queries against training references'],
    ['tripletkit eval --model runs/mnist/model --images test.arrow', 'embed with a model, then evaluate'],
    ['tripletkit eval --images test.arrow', 'raw pixels as embeddings: the baseline to beat'],
  ],
  run: async (args) => {
    const r = await evaluate({
      embeddings: args.embeddings,
      reference: args.reference,
      images: args.images,
      referenceImages: args.referenceImages,
      model: args.model,
      backend: args.backend,
      distance: args.distance,
      normalize: args.normalize,
    });
    return { ...r, classCount: new Set(r.perClass.map((c) => c.label)).size };
  },
  summarize: (r) => [
    `${r.source === 'raw-pixels' ? 'raw pixels of ' : r.source === 'model' ? 'model embeddings of ' : ''}${r.queryFile} (${r.dim}-d)`,
    '',
    ...metricsTable(r, r.classes),
  ],
});
