// `pnpm bench` for the miner: the distance core against numpy's sgemm, then mining end to end.
// Each part prints its figures next to a peer measured in the same run.
const parts = ['./distance.ts', './mining.ts', './outputHeavy.ts', './search.ts'];
for (const part of parts) {
  const mod = (await import(part)) as { run(): Promise<void> };
  await mod.run();
}
