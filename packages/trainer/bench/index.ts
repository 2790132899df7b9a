// `pnpm bench` for this package: prints its figures next to a peer measured in the same run.
//   bench/threeWay.ts      wasm+native vs tensorflow vs PyTorch, small-cnn 28² and resnet-small 64² RGB
//   bench/fashionEpoch.ts  one epoch on 10k Fashion-MNIST, whole `tripletkit train` process vs PyTorch's
//   bench/outOfCore.ts     peak RSS training from a 10k vs a 60k Fashion-MNIST file; from memory vs from the file
//   bench/memoryVsPytorch.ts peak RSS (whole process tree) and images/s vs PyTorch, small-cnn at 28² and 96²
//   bench/scalingLaw.ts    only when asked (`bench scaling`): wall time and peak RSS of mining 10k–100k × 128 and
//                          training at 28²–96², with the fitted exponents (run on a quiet machine)
//   bench/gpuCheck.ts      only when asked (`bench gpu-check`): the CUDA check for tfjs-node-gpu
const only = process.argv[2];
if (only === 'gpu-check') await ((await import('./gpuCheck.ts')) as { run(): Promise<void> }).run();
if (only === 'scaling') await ((await import('./scalingLaw.ts')) as { run(): Promise<void> }).run();
if (!only || only === 'three-way') await ((await import('./threeWay.ts')) as { run(): Promise<void> }).run();
if (!only || only === 'fashion') await ((await import('./fashionEpoch.ts')) as { run(): Promise<void> }).run();
if (!only || only === 'memory') await ((await import('./memoryVsPytorch.ts')) as { run(): Promise<void> }).run();
if (!only || only === 'out-of-core') await ((await import('./outOfCore.ts')) as { run(): Promise<void> }).run();
