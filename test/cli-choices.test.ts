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
