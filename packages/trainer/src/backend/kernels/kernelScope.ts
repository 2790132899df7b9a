/**
 * What every tripletkit wasm kernel shares: the kernel signature, a scope that calls other wasm kernels and frees
 * their intermediates, and the bridge to the native addon (heap addresses, convolution geometry, the addon itself
 * and the wasm kernels ours replace).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvWindow, NativeGemm, NhwcShape } from '../nativeGemm.ts';
import { heapF32, im2colTInto, type WasmBackendLike } from '../wasmHeap.ts';

export type Info = tf.TensorInfo;
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };
type ConvPad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Backend = tf.KernelBackend & { disposeData(dataId: object, force?: boolean): boolean };

/** One kernel of ours: it fills a gap in wasm, or replaces wasm's own (kept as {@link original} for the cases it leaves). */
export interface TrainingKernel {
  kernelName: string;
  kernelFunc: (args: KernelArgs) => Info;
  /** Replaces wasm's kernel of the same name (else registered only where wasm has none). */
  replaces: boolean;
  /** Registered only when the native addon is loaded. */
  native?: boolean;
}

/** The native addon, set once by register.ts (undefined: absent, disabled or scalar-only). */
export const wasmNative: { addon?: NativeGemm } = {};

const originals = new Map<string, tf.KernelFunc>();

/** Remembers wasm's own kernel that one of ours replaced. */
export function keepOriginal(kernelName: string, kernelFunc: tf.KernelFunc): void {
  originals.set(kernelName, kernelFunc);
}

/** wasm's own kernel that ours replaced (our kernels hand it the cases they do not speed up). */
export function original(kernelName: string): tf.KernelFunc {
  const f = originals.get(kernelName);
  if (!f) throw new Error(`wasm ${kernelName} is missing`);
  return f;
}

/** Calls another wasm kernel from inside a kernel, remembering intermediates so they can be freed. */
export class KernelScope {
  private readonly temps: Info[] = [];
  readonly backend: Backend;
  constructor(backend: tf.KernelBackend) {
    this.backend = backend as Backend;
  }

  run(name: string, inputs: Record<string, Info> | Info[], attrs: Record<string, unknown> = {}): Info {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`wasm kernel ${name} is missing`);
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    }) as Info;
    this.temps.push(out);
    return out;
  }

  /** Tracks a tensor made outside {@link run} so that {@link finish} frees it too. */
  adopt(t: Info): Info {
    this.temps.push(t);
    return t;
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  /** Zero-pads x by `[before, after]` per axis. */
  pad(x: Info, paddings: [number, number][]): Info {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Frees every intermediate except `keep` (the kernel's output). */
  finish(keep: Info): Info {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    return keep;
  }
}

/** The backend of a kernel call, as the heap-level view. */
export function wasmOf(args: KernelArgs): WasmBackendLike {
  return args.backend as unknown as WasmBackendLike;
}

/**
 * A tensor's place on the wasm heap as the addon takes it: (buffer, byte offset). Read it after the last allocation
 * (the heap may grow and replace its buffer).
 */
export function at(b: WasmBackendLike, t: Info): [ArrayBuffer, number] {
  return [b.wasm.HEAPU8.buffer as ArrayBuffer, b.dataIdMap.get(t.dataId).memoryOffset];
}

/** Convolution geometry of an NHWC input shape and a filter shape (depthwise: the filter's last axis is a multiplier). */
export function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: { strides: number | [number, number]; pad: ConvPad; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  dilations: number | [number, number] = 1,
  depthwise = false,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
}

/** The native kernels' input geometry arguments for `info`. */
export function inputOf(info: tf.backend_util.Conv2DInfo): NhwcShape {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
}

/** The native kernels' window arguments (strides, dilations, padding, output size) for `info`. */
export function windowOf(info: tf.backend_util.Conv2DInfo): ConvWindow {
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo, outHeight, outWidth } = info;
  return [strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo.top, padInfo.left, outHeight, outWidth];
}

/** The transposed im2col matrix [FH·FW·C, B·OH·OW] of x, built in one JS pass over the wasm heap. */
export function im2colT(s: KernelScope, x: Info, info: tf.backend_util.Conv2DInfo): Info {
  const b = s.backend as unknown as WasmBackendLike;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const xChw = s.run('Transpose', { x }, { perm: [3, 0, 1, 2] });
  const out = s.adopt(b.makeOutput([k, n], 'float32'));
  im2colTInto(heapF32(b, xChw), heapF32(b, out), info);
  return out;
}
