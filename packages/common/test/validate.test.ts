import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSeed, expectOneOf, expectPositiveInteger, isTripletkitError, Rng } from '../src/index.ts';

test('validation messages follow sharp style and carry E_ARG', () => {
  assert.throws(
    () => expectPositiveInteger('tileSize', -3),
    (e) => isTripletkitError(e, 'E_ARG') && e.message === 'Expected positive integer for tileSize but received -3',
  );
  assert.throws(
    () => expectOneOf('distance', 'manhattan', ['euclidean', 'cosine']),
    /Expected one of euclidean, cosine for distance but received "manhattan"/,
  );
  assert.equal(expectPositiveInteger('k', 5), 5);
});

test('Rng is deterministic, in range and roughly uniform', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 10000; i++) {
    const x = a.int(10);
    assert.equal(x, b.int(10));
    counts[x]++;
  }
  for (const c of counts) assert.ok(c > 850 && c < 1150, `count ${c}`);
  assert.notEqual(deriveSeed(1, 2), deriveSeed(1, 3));
  assert.equal(deriveSeed(1, 2), deriveSeed(1, 2));
});
