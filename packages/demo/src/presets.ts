/**
 * The demo's two sizes. `quick` is what CI runs (training well under a minute on 2 cores) and must still beat the
 * raw-pixel baseline; the default is the full 10 000 digits of the `mnist` package.
 */
export interface DemoPreset {
  name: 'quick' | 'full';
  /** Training images per class (undefined: all after the split). */
  trainPerClass: number | undefined;
  /** Held-out images per class (undefined: all after the split). */
  testPerClass: number | undefined;
  /** Fraction of each class held out. */
  testFraction: number;
  epochs: number;
  /** Offline mining for the histograms: every triplet among this many held-out images per class. */
  minePerClass: number;
  /** Rows of the retrieval grids (one query per class, first classes first). */
  gridRows: number;
  /** "Digits it never saw": epochs of the model trained on 0–4, and few-shot episodes per setting. */
  unseen: { epochs: number; episodes: number };
}

export const PRESETS: Record<'quick' | 'full', DemoPreset> = {
  quick: {
    name: 'quick',
    trainPerClass: 100,
    testPerClass: 50,
    testFraction: 0.2,
    epochs: 5,
    minePerClass: 50,
    gridRows: 10,
    unseen: { epochs: 5, episodes: 200 },
  },
  full: {
    name: 'full',
    trainPerClass: undefined,
    testPerClass: undefined,
    testFraction: 0.2,
    epochs: 10,
    minePerClass: 50,
    gridRows: 10,
    unseen: { epochs: 10, episodes: 600 },
  },
};
