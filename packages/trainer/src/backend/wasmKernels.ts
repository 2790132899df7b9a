/**
 * Training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, built from wasm's own (XNNPACK-backed) kernels so
 * that gradients of convolutions, depthwise convolutions and `tf.gather` run on wasm instead of failing.
 *
 * WHY these compositions: the filter gradient of a convolution is a matrix product between image patches and the
 * output gradient; wasm's BatchMatMul is SIMD-optimised, so im2col (strided slices + concat) + one matmul is far
 * faster than any JS loop. Each kernel is checked numerically against the cpu backend in test/wasmKernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type ConvWindow, loadNativeGemm, type NativeGemm, type NhwcShape } from './nativeGemm.ts';
import { columnSumsInto, heapF32, im2colTInto, maxPoolGradInto, type WasmBackendLike } from './wasmHeap.ts';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };
type Backend = tf.KernelBackend & { disposeData(dataId: object, force?: boolean): boolean };

/** Calls another wasm kernel from inside a kernel, remembering intermediates so they can be freed. */
class KernelScope {
  private readonly temps: Info[] = [];
  constructor(readonly backend: Backend) {}

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

  /** Frees every intermediate except `keep` (the kernel's output). */
  finish(keep: Info): Info {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    return keep;
  }
}

/** The transposed im2col matrix [FH·FW·C, B·OH·OW] of x, built in one JS pass over the wasm heap. */
function im2colT(s: KernelScope, x: Info, info: tf.backend_util.Conv2DInfo): Info {
  const b = s.backend as unknown as WasmBackendLike;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const xChw = s.run('Transpose', { x }, { perm: [3, 0, 1, 2] });
  const out = s.adopt(b.makeOutput([k, n], 'float32'));
  im2colTInto(heapF32(b, xChw), heapF32(b, out), info);
  return out;
}

/** The native kernels' input geometry arguments for `info`. */
function inputOf(info: tf.backend_util.Conv2DInfo): NhwcShape {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
}

/** The native kernels' window arguments (strides, dilations, padding, output size) for `info`. */
function windowOf(info: tf.backend_util.Conv2DInfo): ConvWindow {
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo, outHeight, outWidth } = info;
  return [strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo.top, padInfo.left, outHeight, outWidth];
}

/** Byte offset of a tensor on the wasm heap. */
function offsetOf(b: WasmBackendLike, t: Info): number {
  return b.dataIdMap.get(t.dataId).memoryOffset;
}

let nativeAddon: NativeGemm | undefined;
let wasmConv2D: tf.KernelFunc | undefined;

/** Forward convolution (NHWC) as a native implicit GEMM. */
function conv2DNative(args: KernelArgs): Info {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
  const addon = nativeAddon;
  if (!addon || dataFormat === 'NCHW' || x.dtype !== 'float32' || !wasmConv2D) {
    if (!wasmConv2D) throw new Error('wasm Conv2D is missing');
    return wasmConv2D(args) as Info;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  const b = args.backend as unknown as WasmBackendLike;
  const out = b.makeOutput(info.outShape, 'float32');
  const heap = b.wasm.HEAPU8.buffer as ArrayBuffer;
  addon.conv2d(
    heap,
    offsetOf(b, x),
    ...inputOf(info),
    heap,
    offsetOf(b, filter),
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    ...windowOf(info),
    heap,
    offsetOf(b, out),
  );
  return out;
}

/** Filter gradient: native implicit kernel (AVX-512), else native im2col + one GEMM with a transposed left operand. */
function conv2DBackpropFilterNative(
  addon: NativeGemm,
  b: WasmBackendLike,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
): Info {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const out = b.makeOutput(filterShape, 'float32');
  let heap = b.wasm.HEAPU8.buffer as ArrayBuffer;
  const direct = addon.conv2dFilterGrad(
    heap,
    offsetOf(b, x),
    ...inputOf(info),
    heap,
    offsetOf(b, dy),
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    ...windowOf(info),
    heap,
    offsetOf(b, out),
  );
  if (direct) return out;
  const cols = b.makeOutput([rows, k], 'float32');
  addon.im2col(
    b.wasm.HEAPU8.buffer as ArrayBuffer,
    offsetOf(b, x),
    ...inputOf(info),
    info.filterHeight,
    info.filterWidth,
    ...windowOf(info),
    b.wasm.HEAPU8.buffer as ArrayBuffer,
    offsetOf(b, cols),
  );
  heap = b.wasm.HEAPU8.buffer as ArrayBuffer;
  addon.sgemm(
    1,
    k,
    info.outChannels,
    rows,
    heap,
    offsetOf(b, cols),
    k,
    heap,
    offsetOf(b, dy),
    info.outChannels,
    heap,
    offsetOf(b, out),
    info.outChannels,
    0,
  );
  b.disposeData(cols.dataId);
  return out;
}

function conv2DBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports channels-last (NHWC) only');
  const s = new KernelScope(args.backend as Backend);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (nativeAddon && x.dtype === 'float32') {
    return conv2DBackpropFilterNative(
      nativeAddon,
      args.backend as unknown as WasmBackendLike,
      x,
      dy,
      info,
      filterShape,
    );
  }
  const colsT = im2colT(s, x, info);
  const n = info.batchSize * info.outHeight * info.outWidth;
  // [K, N] · [N, Co] = [K, Co]; BatchMatMul wants rank 3.
  const prod = s.run(
    'BatchMatMul',
    { a: s.reshape(colsT, [1, ...colsT.shape]), b: s.reshape(dy, [1, n, info.outChannels]) },
    { transposeA: false, transposeB: false },
  );
  return s.finish(s.reshape(prod, filterShape));
}

let nativeBackpropInput: tf.KernelFunc | undefined;

/**
 * Input gradient of a stride-1 convolution as a forward convolution of the padded output gradient with the
 * flipped, in/out-swapped filter: XNNPACK's Conv2D is ~9× faster than wasm's scalar Conv2DBackpropInput loop.
 * Strided convolutions keep the native kernel.
 */
function conv2DBackpropInput(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || dataFormat === 'NCHW' || !nativeBackpropInput) {
    if (!nativeBackpropInput) throw new Error('wasm Conv2DBackpropInput is missing');
    return nativeBackpropInput(args) as Info;
  }
  const s = new KernelScope(args.backend as Backend);
  const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // dx[i] = Σ_k dy[i + top − k]·w[k]: pad dy so that a valid correlation with the flipped filter yields inHeight rows.
  const pt = fh - 1 - top;
  const pl = fw - 1 - left;
  const pb = inHeight + fh - 1 - pt - outHeight;
  const pr = inWidth + fw - 1 - pl - outWidth;
  let src = dy;
  if (pt || pb || pl || pr) {
    // Negative amounts (rows the forward pass never read) become a crop.
    const padded = s.run(
      'PadV2',
      { x: dy },
      {
        paddings: [
          [0, 0],
          [Math.max(pt, 0), Math.max(pb, 0)],
          [Math.max(pl, 0), Math.max(pr, 0)],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    src =
      pt < 0 || pb < 0 || pl < 0 || pr < 0
        ? s.run(
            'Slice',
            { x: padded },
            {
              begin: [0, Math.max(-pt, 0), Math.max(-pl, 0), 0],
              size: [info.batchSize, inHeight + fh - 1, inWidth + fw - 1, info.outChannels],
            },
          )
        : padded;
  }
  const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = s.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  const dx = s.run(
    'Conv2D',
    { x: src, filter: swapped },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
  );
  return s.finish(dx);
}

function depthwiseBackpropFilter(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const { strides, pad, dilations, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const s = new KernelScope(args.backend as Backend);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inChannels, filterHeight, filterWidth, outHeight, outWidth } = info;
  const mult = filterShape[3];
  const n = batchSize * outHeight * outWidth;
  // colsT: [FH·FW, C, N] → [C, FH·FW, N]; dy: [N, C, M] → [C, N, M]; per channel one matmul → [C, FH·FW, M].
  const colsT = s.run(
    'Transpose',
    { x: s.reshape(im2colT(s, x, info), [filterHeight * filterWidth, inChannels, n]) },
    { perm: [1, 0, 2] },
  );
  const g = s.run('Transpose', { x: s.reshape(dy, [n, inChannels, mult]) }, { perm: [1, 0, 2] });
  const prod = s.run('BatchMatMul', { a: colsT, b: g }, { transposeA: false, transposeB: false }); // [C, K, M]
  const out = s.run('Transpose', { x: prod }, { perm: [1, 0, 2] }); // [K, C, M]
  return s.finish(s.reshape(out, filterShape));
}

function depthwiseBackpropInput(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const { strides, pad, dilations, dimRoundingMode, inputShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const s = new KernelScope(args.backend as Backend);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inChannels, inHeight, inWidth, filterHeight, filterWidth, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const mult = filter.shape[3];
  // Σ_m dy[b,y,x,c,m]·w[fh,fw,c,m] per filter tap, then scatter each tap's [B,OH,OW,C] into dx by zero-padding:
  // tap (fh,fw) lands at rows y·sh + fh·dh − top. Zero-insertion for strides uses pad + reshape.
  const dy5 = s.reshape(dy, [batchSize, outHeight, outWidth, inChannels, mult]);
  const fullH = (outHeight - 1) * sh + 1 + (filterHeight - 1) * dh;
  const fullW = (outWidth - 1) * sw + 1 + (filterWidth - 1) * dw;
  const parts: Info[] = [];
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      const w = s.run('Slice', { x: filter }, { begin: [fh, fw, 0, 0], size: [1, 1, inChannels, mult] });
      const prod = s.run('Multiply', { a: dy5, b: s.reshape(w, [1, 1, 1, inChannels, mult]) });
      let tap = s.run('Sum', { x: prod }, { axis: [4], keepDims: false }); // [B,OH,OW,C]
      if (sh > 1 || sw > 1) {
        // Insert (stride − 1) zeros after every row/column: [B,OH,1,OW,1,C] padded → [B,OH·sh,OW·sw,C], trimmed.
        const t6 = s.reshape(tap, [batchSize, outHeight, 1, outWidth, 1, inChannels]);
        const p6 = s.run(
          'PadV2',
          { x: t6 },
          {
            paddings: [
              [0, 0],
              [0, 0],
              [0, sh - 1],
              [0, 0],
              [0, sw - 1],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
        const flat = s.reshape(p6, [batchSize, outHeight * sh, outWidth * sw, inChannels]);
        tap = s.run(
          'Slice',
          { x: flat },
          { begin: [0, 0, 0, 0], size: [batchSize, (outHeight - 1) * sh + 1, (outWidth - 1) * sw + 1, inChannels] },
        );
      }
      const h = (outHeight - 1) * sh + 1;
      const wd = (outWidth - 1) * sw + 1;
      parts.push(
        s.run(
          'PadV2',
          { x: tap },
          {
            paddings: [
              [0, 0],
              [fh * dh, fullH - h - fh * dh],
              [fw * dw, fullW - wd - fw * dw],
              [0, 0],
            ],
            constantValue: 0,
          },
        ),
      );
    }
  }
  const total = parts.length === 1 ? parts[0] : s.run('AddN', parts);
  // `total` covers the padded input; crop the padding (or pad the rows the convolution never reached).
  const { top, left } = info.padInfo;
  const cropH = Math.min(inHeight, fullH - top);
  const cropW = Math.min(inWidth, fullW - left);
  let dx = s.run('Slice', { x: total }, { begin: [0, top, left, 0], size: [batchSize, cropH, cropW, inChannels] });
  if (cropH < inHeight || cropW < inWidth) {
    dx = s.run(
      'PadV2',
      { x: dx },
      {
        paddings: [
          [0, 0],
          [0, inHeight - cropH],
          [0, inWidth - cropW],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  }
  return s.finish(dx);
}

/** Scatter-add in one JS pass over the wasm heap (the gradient of tf.gather): out[ids[i]] += x[i]. */
function unsortedSegmentSum(args: KernelArgs): Info {
  const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const b = args.backend as unknown as WasmBackendLike;
  const n = segmentIds.shape.reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const d = rest.reduce((p, q) => p * q, 1);
  const out = b.makeOutput([numSegments, ...rest], x.dtype);
  const view = (t: Info) => {
    const { memoryOffset } = b.dataIdMap.get(t.dataId);
    const size = t.shape.reduce((p, q) => p * q, 1);
    return t.dtype === 'int32'
      ? new Int32Array(b.wasm.HEAPU8.buffer, memoryOffset, size)
      : new Float32Array(b.wasm.HEAPU8.buffer, memoryOffset, size);
  };
  const ids = view(segmentIds);
  const xs = view(x);
  const o = view(out);
  o.fill(0);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    // Out-of-range ids are dropped, as in TensorFlow.
    if (s < 0 || s >= numSegments) continue;
    const src = i * d;
    const dst = s * d;
    for (let j = 0; j < d; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

function maxPoolGrad(args: KernelArgs): Info {
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const b = args.backend as unknown as WasmBackendLike;
  const dx = b.makeOutput(input.shape, 'float32');
  const tiles =
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.inHeight === 2 * info.outHeight &&
    info.inWidth === 2 * info.outWidth;
  if (nativeAddon && tiles) {
    const heap = b.wasm.HEAPU8.buffer as ArrayBuffer;
    nativeAddon.maxPool2x2Grad(
      heap,
      offsetOf(b, input),
      heap,
      offsetOf(b, dy),
      heap,
      offsetOf(b, dx),
      info.batchSize,
      info.outHeight,
      info.outWidth,
      info.inChannels,
    );
    return dx;
  }
  maxPoolGradInto(heapF32(b, input), heapF32(b, dy), heapF32(b, dx), info);
  return dx;
}

let nativeBatchMatMul: tf.KernelFunc | undefined;

/** wasm's BatchMatMul is ~10× slower with transposeA/B than on row-major operands: transpose explicitly first. */
function batchMatMul(args: KernelArgs): Info {
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  if (!nativeBatchMatMul) throw new Error('wasm BatchMatMul is missing');
  if (!transposeA && !transposeB) return nativeBatchMatMul(args) as Info;
  const s = new KernelScope(args.backend as Backend);
  const flip = (t: Info) => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return s.run('Transpose', { x: t }, { perm });
  };
  const out = nativeBatchMatMul({
    inputs: { a: transposeA ? flip(a) : a, b: transposeB ? flip(b) : b },
    backend: args.backend,
    attrs: { transposeA: false, transposeB: false },
  }) as Info;
  return s.finish(s.adopt(out));
}

let nativeSum: tf.KernelFunc | undefined;

/**
 * Sums over leading axes (bias gradients: Σ over batch·rows·cols) in one pass: wasm's Sum transposes
 * the reduced axes last first, a full extra pass; one contiguous JS pass is ~5× faster.
 */
function sum(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  if (!nativeSum) throw new Error('wasm Sum is missing');
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.every((ax, i) => ax === i);
  if (x.dtype !== 'float32' || !leading || axes.length === 0 || axes.length === x.shape.length) {
    return nativeSum(args) as Info;
  }
  const n = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const c = rest.reduce((p, q) => p * q, 1);
  if (n < 64) return nativeSum(args) as Info;
  const b = args.backend as unknown as WasmBackendLike;
  const out = b.makeOutput(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  if (nativeAddon) {
    const heap = b.wasm.HEAPU8.buffer as ArrayBuffer;
    nativeAddon.columnSums(heap, offsetOf(b, x), n, c, heap, offsetOf(b, out));
  } else {
    columnSumsInto(heapF32(b, x), n, c, heapF32(b, out));
  }
  return out;
}

/**
 * Identity by sharing the buffer (reference count), as the cpu backend does. tfjs tensors are immutable, and the
 * engine clones every tensor a gradient saves: wasm's copying Identity spent ~7% of a training step on memcpy.
 */
function identity(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

let wasmAdd: tf.KernelFunc | undefined;

/** Bias addition ([..., C] + [C]) by the native addon (vectorised); anything else, or no addon: wasm's Add. */
function biasAdd(args: KernelArgs): Info {
  const { a, b } = args.inputs as { a: Info; b: Info };
  if (!wasmAdd) throw new Error('wasm Add is missing');
  const c = b.shape.length === 1 ? b.shape[0] : 0;
  const size = a.shape.reduce((p, q) => p * q, 1);
  if (
    !nativeAddon ||
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    c === 0 ||
    a.shape[a.shape.length - 1] !== c ||
    size < 65536
  ) {
    return wasmAdd(args) as Info;
  }
  const backend = args.backend as unknown as WasmBackendLike;
  const out = backend.makeOutput(a.shape, 'float32');
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  nativeAddon?.biasAdd(
    heap,
    offsetOf(backend, a),
    heap,
    offsetOf(backend, b),
    size / c,
    c,
    heap,
    offsetOf(backend, out),
  );
  return out;
}

/** ReLU's gradient in one native pass (dy where x > 0), instead of tfjs's Step → Cast → Multiply. */
function reluGrad(args: KernelArgs): Info {
  const { dy, x } = args.inputs as { dy: Info; x: Info };
  const backend = args.backend as unknown as WasmBackendLike;
  const out = backend.makeOutput(x.shape, 'float32');
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  const n = x.shape.reduce((p, q) => p * q, 1);
  nativeAddon?.reluGrad(heap, offsetOf(backend, x), heap, offsetOf(backend, dy), n, heap, offsetOf(backend, out));
  return out;
}

/** Name of the fused ReLU-gradient kernel (wasm only; other backends keep tfjs's gradient). */
export const RELU_GRAD = 'TripletkitReluGrad';

/** Swaps a wasm kernel for ours, handing ours the original (for the cases it leaves to it). */
function override(kernelName: string, kernelFunc: tf.KernelFunc): tf.KernelFunc | undefined {
  const native = tf.getKernel(kernelName, 'wasm');
  if (!native) return undefined;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...native, kernelFunc });
  return native.kernelFunc;
}

let registered = false;

/**
 * Registers the missing training kernels for the wasm backend (idempotent).
 *
 * @example
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const add = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  };
  // The native GEMM addon, when built, runs the convolutions (forward, and through it the input gradient).
  nativeAddon = loadNativeGemm().addon;
  if (nativeAddon) wasmConv2D = override(tf.Conv2D, conv2DNative as tf.KernelFunc);
  // Faster versions of kernels wasm has (each falls back to the original outside the cases it speeds up).
  nativeBackpropInput = override(tf.Conv2DBackpropInput, conv2DBackpropInput as tf.KernelFunc);
  nativeBatchMatMul = override(tf.BatchMatMul, batchMatMul as tf.KernelFunc);
  nativeSum = override(tf.Sum, sum as tf.KernelFunc);
  override(tf.MaxPoolGrad, maxPoolGrad as tf.KernelFunc);
  override(tf.Identity, identity as tf.KernelFunc);
  if (nativeAddon) wasmAdd = override(tf.Add, biasAdd as tf.KernelFunc);
  const reluGradient = tf.getGradient(tf.Relu);
  if (nativeAddon && reluGradient) {
    tf.registerKernel({ kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad as tf.KernelFunc });
    // The gradient registry is shared by all backends: use the fused kernel on wasm only.
    tf.registerGradient({
      ...reluGradient,
      gradFunc: (dy, saved, attrs) => {
        if (tf.getBackend() !== 'wasm') return reluGradient.gradFunc(dy, saved, attrs);
        const [x] = saved;
        return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor };
      },
    });
  }
  add(tf.Conv2DBackpropFilter, conv2DBackpropFilter as tf.KernelFunc);
  add(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter as tf.KernelFunc);
  add(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput as tf.KernelFunc);
  add(tf.UnsortedSegmentSum, unsortedSegmentSum as tf.KernelFunc);
}
