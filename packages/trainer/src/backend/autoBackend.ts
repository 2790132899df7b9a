/**
 * What `--backend auto` picks, decided from measurements rather than a fixed order:
 * 1. libtensorflow on a CUDA device (tfjs-node-gpu reporting a GPU) — a GPU beats every CPU path;
 * 2. on a CPU, the backend measured faster for the encoder (`pnpm --filter @tripletkit/trainer bench three-way`,
 *    {@link CPU_EVIDENCE}); wasm's figure needs the native convolution kernels (AVX2/AVX-512), without which wasm's
 *    own convolutions run at about half that speed (native addon README);
 * 3. whatever remains: wasm, then cpu.
 * The decision is a pure function of these facts, so it is tested without the packages installed.
 */

/** Images/s of one training step on a CPU, same run, idle machine (bench three-way, see docs/performance.md). */
export interface CpuEvidence {
  wasm: number;
  tensorflow: number;
  /** Where and how the figures were taken. */
  source: string;
}

/**
 * The three-way benchmark's figures per built-in encoder (online batch-hard, P×K 32×4, Adam): wasm + native kernels
 * with the default workers vs libtensorflow in one process. A model of the user's own (`--model`) has no figures.
 */
export const CPU_EVIDENCE: Readonly<Record<string, CpuEvidence>> = {
  'small-cnn': { wasm: 1671, tensorflow: 940, source: 'small-cnn 28² gray, idle 2-core machine' },
  'resnet-small': { wasm: 15, tensorflow: 18, source: 'resnet-small 64² RGB, idle 2-core machine' },
};

/** Below this ratio of the faster to the slower, the measured gap is within run-to-run noise: no preference. */
export const NOISE_RATIO = 1.15;

/** What `auto` knows about this machine. */
export interface AutoFacts {
  /** tfjs-node-gpu loaded and libtensorflow placed its ops on a GPU. */
  cuda: boolean;
  /** A libtensorflow binding (tfjs-node or tfjs-node-gpu) can be loaded. */
  tensorflow: boolean;
  /** The native convolution kernels for wasm are built and usable on this CPU (AVX2 or AVX-512). */
  nativeKernels: boolean;
  /** The encoder about to be trained or run: a built-in name, `custom` (`--model`), or unknown (undefined). */
  encoder?: string;
}

/** A backend `auto` can choose, and why, in words for the backend line and `--json`. */
export interface AutoChoice {
  name: 'tensorflow' | 'wasm' | 'cpu';
  reason: string;
}

/**
 * The CPU backends in `auto`'s order of preference for `facts` (the first one that starts is used), with the reason
 * for the order. CUDA is decided before this: see {@link chooseAuto}.
 *
 * @example
 * cpuPreference({ cuda: false, tensorflow: true, nativeKernels: true, encoder: 'small-cnn' }).order; // ['wasm', 'tensorflow', 'cpu']
 */
export function cpuPreference(facts: AutoFacts): { order: AutoChoice['name'][]; reason: string } {
  const wasmFirst = { order: ['wasm', 'tensorflow', 'cpu'] as AutoChoice['name'][] };
  const tfFirst = { order: ['tensorflow', 'wasm', 'cpu'] as AutoChoice['name'][] };
  const evidence = facts.encoder ? CPU_EVIDENCE[facts.encoder] : undefined;
  if (!facts.nativeKernels) {
    return {
      ...tfFirst,
      reason: 'no native convolution kernels for wasm on this machine, and wasm alone is slower than libtensorflow',
    };
  }
  if (!evidence) {
    return {
      ...wasmFirst,
      reason: `no measurement for ${facts.encoder ? `encoder ${facts.encoder}` : 'this model'}: wasm + native kernels, the default`,
    };
  }
  const ratio = evidence.wasm / evidence.tensorflow;
  const measured = `${evidence.wasm} vs ${evidence.tensorflow} images/s on wasm + native vs libtensorflow's CPU (${evidence.source})`;
  if (ratio >= NOISE_RATIO) {
    return {
      ...wasmFirst,
      reason: `${facts.encoder} trains ${ratio.toFixed(1)}× faster on wasm + native kernels: ${measured}`,
    };
  }
  if (1 / ratio >= NOISE_RATIO) {
    return {
      ...tfFirst,
      reason: `${facts.encoder} trains ${(1 / ratio).toFixed(1)}× faster on libtensorflow: ${measured}`,
    };
  }
  return {
    ...wasmFirst,
    reason: `${facts.encoder} trains about as fast on either (${measured}, within noise): wasm + native, the lighter in memory`,
  };
}

/**
 * `auto`'s choice for `facts`: tensorflow on a CUDA device, else {@link cpuPreference}'s order without tensorflow
 * when it is not installed. The first entry is the choice; the rest are fallbacks should it fail to start.
 *
 * @example
 * chooseAuto({ cuda: false, tensorflow: true, nativeKernels: true, encoder: 'small-cnn' }).order[0]; // 'wasm'
 */
export function chooseAuto(facts: AutoFacts): { order: AutoChoice['name'][]; reason: string } {
  if (facts.cuda) return { order: ['tensorflow', 'wasm', 'cpu'], reason: 'libtensorflow reports a CUDA device' };
  const { order, reason } = cpuPreference(facts);
  if (facts.tensorflow) return { order, reason };
  const available = order.filter((b) => b !== 'tensorflow');
  const missed = order[0] === 'tensorflow' ? '; tensorflow is not installed (pnpm tensorflow:install)' : '';
  return { order: available, reason: `${reason}${missed}` };
}
