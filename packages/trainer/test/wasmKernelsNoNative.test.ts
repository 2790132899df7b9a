/** The same wasm-vs-cpu kernel checks with the native convolution addon disabled (the pure wasm path). */
process.env.TRIPLETKIT_TRAINER_NATIVE = '0';
await import('./wasmKernels.test.ts');
