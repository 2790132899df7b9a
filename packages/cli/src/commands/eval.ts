import { DISTANCE_KINDS, type DistanceKind } from '@tripletkit/miner';
import { defineCommand } from '../command.ts';
import { type EvaluateResult, evaluate } from '../demo/evaluate.ts';
import { metricsTable } from '../demo/metricsTable.ts';

interface EvalArgs {
  embeddings?: string;
  reference?: string;
  distance: DistanceKind;
  normalize: boolean;
}

/** `tripletkit eval`: precision@1, R-precision and MAP@R (PML's AccuracyCalculator semantics), overall and per class. */
export const evalCommand = defineCommand<EvalArgs, EvaluateResult>({
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
  ],
  run: (args) =>
    evaluate({
      embeddings: args.embeddings,
      reference: args.reference,
      distance: args.distance,
      normalize: args.normalize,
    }),
  summarize: (r) => metricsTable(r, r.classes),
});
