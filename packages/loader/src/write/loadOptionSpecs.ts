/**
 * The options of {@link writeImages} as data (`@tripletkit/loader/options`): type, default, choices, range and a
 * line of help each, defined once here. The CLI's `tripletkit load` flags are derived from them, and writeImages checks
 * them before it lists any input. Light on purpose: importing it loads neither sharp nor Arrow.
 */
import type { OptionSpecs } from '@tripletkit/common/options';

/** Largest output side: sharp's limit (0x3FFF). */
export const MAX_SIDE = 16383;

/** sharp's default `limitInputPixels` (0x3FFF × 0x3FFF). */
export const DEFAULT_LIMIT_INPUT_PIXELS = 268402689;

export const FITS = ['cover', 'contain', 'fill'] as const;
export const KERNELS = ['nearest', 'linear', 'cubic', 'lanczos3'] as const;
export const FAIL_ON = ['none', 'truncated', 'error', 'warning'] as const;
export const FORMATS = ['file', 'stream'] as const;

/**
 * @example
 * loadOptionSpecs.fit.choices; // ['cover', 'contain', 'fill']
 */
export const loadOptionSpecs = {
  size: {
    type: 'number',
    describe: `Output width and height, 1–${MAX_SIDE} (default: median size of 32 sampled images, longer side ≤ 1024)`,
  },
  width: { type: 'number', describe: 'Output width (overrides --size)' },
  height: { type: 'number', describe: 'Output height (overrides --size)' },
  channels: { type: 'number', choices: [1, 3], describe: '1 = grayscale, 3 = RGB (default 3; 1 for --idx)' },
  fit: {
    type: 'string',
    choices: FITS,
    default: 'cover',
    describe: 'cover: scale and centre-crop (torchvision Resize+CenterCrop); contain: letterbox (black); fill: stretch',
  },
  kernel: {
    type: 'string',
    choices: KERNELS,
    default: 'linear',
    describe: 'Resampling kernel (antialiased when shrinking)',
  },
  batchRows: {
    type: 'number',
    describe: 'Rows per Arrow record batch (default: ~32 MiB of pixels, 16–1024)',
  },
  concurrency: { type: 'number', describe: 'Decoding threads (default: all cores)' },
  format: {
    type: 'string',
    choices: FORMATS,
    default: 'file',
    describe: 'Arrow IPC flavour (stream: Hugging Face datasets)',
  },
  strict: {
    type: 'boolean',
    default: false,
    describe: 'Stop at the first bad file (no output) instead of skipping it',
  },
  limitInputPixels: {
    type: 'number',
    describe: `Images with more pixels are bad files (default ${DEFAULT_LIMIT_INPUT_PIXELS})`,
  },
  failOn: {
    type: 'string',
    choices: FAIL_ON,
    default: 'warning',
    describe: 'How strict decoding is about damaged data (sharp failOn); warning treats corrupt/truncated as bad',
  },
} as const satisfies OptionSpecs;
