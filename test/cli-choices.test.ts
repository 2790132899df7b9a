import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from '../packages/cli/src/commands/index.ts';
import { demoOptionSpecs } from '../packages/demo/src/options.ts';
import * as loader from '../packages/loader/src/options.ts';
import * as miner from '../packages/miner/src/index.ts';
import { distanceHelp, searchDistanceHelp, strategyHelp } from '../packages/miner/src/options.ts';
import * as trainer from '../packages/trainer/src/index.ts';

/** A command's flag, as yargs receives it. */
function flagOf(command: string, flag: string) {
  const spec = commands.find((c) => c.command.split(' ')[0] === command);
  assert.ok(spec, `no command ${command}`);
  const option = spec.options[flag];
  assert.ok(option, `${command} has no --${flag}`);
  return option;
}

/** The choices a command's flag offers, as yargs receives them. */
const choicesOf = (command: string, flag: string): unknown => flagOf(command, flag).choices;

test("the CLI's flags offer the libraries' own choice lists (derived from their option specs)", () => {
  assert.deepEqual(choicesOf('mine', 'strategy'), miner.STRATEGIES);
  assert.deepEqual(choicesOf('mine', 'distance'), miner.DISTANCE_KINDS);
  assert.deepEqual(choicesOf('eval', 'distance'), miner.DISTANCE_KINDS);
  for (const command of ['train', 'embed', 'eval', 'index', 'search', 'demo'])
    assert.deepEqual(choicesOf(command, 'backend'), trainer.BACKEND_CHOICES, command);
  assert.deepEqual(choicesOf('train', 'encoder'), trainer.ENCODERS);
  assert.deepEqual(choicesOf('train', 'mining'), trainer.ONLINE_MINING);
  assert.deepEqual(choicesOf('train', 'reduction'), trainer.REDUCTIONS);
  assert.deepEqual(choicesOf('eval', 'features'), trainer.FEATURES);
  assert.deepEqual(choicesOf('index', 'features'), trainer.FEATURES);
  assert.deepEqual(choicesOf('split', 'format'), loader.FORMATS);
});

test('split and demo take their flags and defaults from the libraries (loader splitOptionSpecs, demoOptionSpecs)', () => {
  for (const [name, spec] of Object.entries(loader.splitOptionSpecs)) {
    const flag = flagOf(
      'split',
      name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
    );
    assert.equal(flag.describe, spec.describe, name);
    assert.equal(flag.default, 'default' in spec ? spec.default : undefined, name);
  }
  for (const [name, spec] of Object.entries(demoOptionSpecs)) {
    const flag = flagOf('demo', name);
    assert.equal(flag.describe, spec.describe, name);
    assert.equal(flag.default, 'default' in spec ? spec.default : undefined, name);
  }
  // The demo trains with the trainer: its backend flag is the trainer's, default included.
  assert.deepEqual(flagOf('demo', 'backend').default, trainer.trainOptionSpecs.backend.default);
  assert.equal(flagOf('demo', 'backend').describe, trainer.trainOptionSpecs.backend.describe);
});

test("the strategy and distance help is built from the registries' declarations, in registry order", () => {
  const strategy = String(flagOf('mine', 'strategy').describe);
  let at = -1;
  for (const s of miner.STRATEGY_DEFS.filter((d) => d.offline)) {
    const entry = `${s.name}: ${s.formula}`;
    const next = strategy.indexOf(entry);
    assert.ok(next > at, `${entry} in order in --strategy's help: ${strategy}`);
    at = next;
  }
  assert.equal(strategy, strategyHelp(miner.STRATEGY_DEFS));
  // A strategy added to the registry appears with no other edit; an online-only one does not.
  const added = [
    ...miner.STRATEGY_DEFS,
    { name: 'new-one', formula: 'd_an < 2·d_ap', offline: true },
    { name: 'online-only', formula: 'x', offline: false },
  ];
  assert.equal(strategyHelp(added), `${strategy}; new-one: d_an < 2·d_ap`);

  for (const d of miner.DISTANCES) {
    const mentioned = String(flagOf('mine', 'distance').describe).includes(`${d.name} is a similarity`);
    assert.equal(mentioned, d.isSimilarity, d.name);
  }
  assert.equal(flagOf('mine', 'distance').describe, distanceHelp(miner.DISTANCES));
  assert.equal(flagOf('eval', 'distance').describe, searchDistanceHelp(miner.DISTANCES));
  const dot = { name: 'dot', isSimilarity: true, searchNormalizes: false };
  assert.equal(
    distanceHelp([...miner.DISTANCES, dot]),
    'Distance; cosine, dot are similarities and invert every comparison, as PML',
  );
  assert.equal(distanceHelp([miner.DISTANCES[0]]), 'Distance');
  // Search normalises only for cosine: a raw similarity is not described as one on L2-normalised rows.
  assert.equal(searchDistanceHelp([...miner.DISTANCES, dot]), searchDistanceHelp(miner.DISTANCES));
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
