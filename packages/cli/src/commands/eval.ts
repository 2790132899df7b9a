import type { DistanceKind, FewShotOptions, VerificationOptions } from '@tripletkit/miner';
import { episodeOptionSpecs, verificationOptionSpecs } from '@tripletkit/miner/options';
import type { BackendChoice, EvaluateOptions, EvaluateResult, Features } from '@tripletkit/trainer';
import { evaluateOptionSpecs } from '@tripletkit/trainer/options';
import { defineCommand } from '../command.ts';
import { flags, optionsFrom } from '../flags.ts';
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
    ...flags(evaluateOptionSpecs, ['embeddings', 'reference', 'images', 'referenceImages', 'model'], {
      embeddings: { alias: 'e' },
      reference: { alias: 'r' },
      images: { alias: 'i' },
      model: { alias: 'm' },
    }),
    ...flags(evaluateOptionSpecs, ['backend', 'features', 'distance', 'normalize']),
    'few-shot': {
      type: 'boolean',
      default: false,
      describe: 'Also N-way K-shot accuracy on seeded episodes of the query file (nearest support and prototype)',
    },
    ...flags(episodeOptionSpecs, ['ways', 'shots', 'queries', 'episodes', 'seed']),
    verification: {
      type: 'boolean',
      default: false,
      describe: 'Also same/different verification: ROC AUC, EER, TAR at --far, with thresholds',
    },
    ...flags(verificationOptionSpecs, ['pairs']),
    // The library's farTarget, offered as --far.
    far: flags(verificationOptionSpecs, ['farTarget'])['far-target'],
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
      ...optionsFrom<EvaluateOptions>(evaluateOptionSpecs, args),
      ...(args.fewShot ? { fewShot: optionsFrom<FewShotOptions>(episodeOptionSpecs, args) } : {}),
      ...(args.verification
        ? { verification: { ...optionsFrom<VerificationOptions>(verificationOptionSpecs, args), farTarget: args.far } }
        : {}),
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
