import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cli from '../packages/cli/src/choices.ts';
import * as miner from '../packages/miner/src/index.ts';
import * as trainer from '../packages/trainer/src/index.ts';

test("the CLI's choice lists (written out for a fast --help) equal the libraries' own", () => {
  assert.deepEqual(cli.STRATEGIES, miner.STRATEGIES);
  assert.deepEqual(cli.DISTANCE_KINDS, miner.DISTANCE_KINDS);
  assert.deepEqual(cli.BACKEND_CHOICES, trainer.BACKEND_CHOICES);
  assert.deepEqual(cli.ENCODERS, trainer.ENCODERS);
  assert.deepEqual(cli.ONLINE_MINING, trainer.ONLINE_MINING);
  assert.deepEqual(cli.REDUCTIONS, trainer.REDUCTIONS);
  assert.deepEqual(cli.FEATURES, trainer.FEATURES);
});

test("the CLI's mining choices list every registered distance and strategy, in registry order", () => {
  // A distance or strategy added to the miner's registries must be added to cli/src/choices.ts too (kept static so
  // that --help imports no library).
  assert.deepEqual(
    cli.DISTANCE_KINDS,
    miner.DISTANCES.map((d) => d.name),
  );
  assert.deepEqual(
    cli.STRATEGIES,
    miner.STRATEGY_DEFS.filter((s) => s.offline).map((s) => s.name),
  );
  const online = miner.STRATEGY_DEFS.flatMap((s) => (s.online ? [s.online] : [])).sort((a, b) => a.rank - b.rank);
  assert.deepEqual(
    cli.ONLINE_MINING,
    online.map((o) => o.name),
  );
});
