// `pnpm bench` for this package: prints its figures next to a peer measured in the same run.
const mod = (await import('./throughput.ts')) as { run(): Promise<void> };
await mod.run();
