import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from '../packages/cli/src/commands/index.ts';
import * as miner from '../packages/miner/src/index.ts';
import * as trainer from '../packages/trainer/src/index.ts';

/** The choices a command's flag offers, as yargs receives them. */
function choicesOf(command: string, flag: string): unknown {
  const spec = commands.find((c) => c.command.split(' ')[0] === command);
  assert.ok(spec, `no command ${command}`);
  const option = spec.options[flag];
  assert.ok(option, `${command} has no --${flag}`);
  return option.choices;
}

test("the CLI's flags offer the libraries' own choice lists (derived from their option specs)", () => {
  assert.deepEqual(choicesOf('mine', 'strategy'), miner.STRATEGIES);
  assert.deepEqual(choicesOf('mine', 'distance'), miner.DISTANCE_KINDS);
  assert.deepEqual(choicesOf('eval', 'distance'), miner.DISTANCE_KINDS);
  for (const command of ['train', 'embed', 'eval', 'index', 'search'])
    assert.deepEqual(choicesOf(command, 'backend'), trainer.BACKEND_CHOICES, command);
  assert.deepEqual(choicesOf('train', 'encoder'), trainer.ENCODERS);
  assert.deepEqual(choicesOf('train', 'mining'), trainer.ONLINE_MINING);
  assert.deepEqual(choicesOf('train', 'reduction'), trainer.REDUCTIONS);
  assert.deepEqual(choicesOf('eval', 'features'), trainer.FEATURES);
  assert.deepEqual(choicesOf('index', 'features'), trainer.FEATURES);
});

test("the CLI's mining choices list every registered distance and strategy, in registry order", () => {
  assert.deepEqual(
    choicesOf('mine', 'distance'),
    miner.DISTANCES.map((d) => d.name),
  );
  assert.deepEqual(
    choicesOf('mine', 'strategy'),
    miner.STRATEGY_DEFS.filter((s) => s.offline).map((s) => s.name),
  );
  const online = miner.STRATEGY_DEFS.flatMap((s) => (s.online ? [s.online] : [])).sort((a, b) => a.rank - b.rank);
  assert.deepEqual(
    choicesOf('train', 'mining'),
    online.map((o) => o.name),
  );
});
