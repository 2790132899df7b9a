import assert from 'node:assert/strict';
import { test } from 'node:test';
import { field, float32Type, int32Type, isTripletkitError, utf8Type } from '@tripletkit/common';
import {
  checkEmbeddings,
  checkImages,
  checkTriplets,
  decodeClasses,
  decodeSource,
  EMBEDDINGS_META,
  embeddingsMetadata,
  encodeSource,
  IMAGES_META,
  INDEX_META,
  imagesSchema,
  readIndexMetadata,
  SHARED_META,
  TRIPLETS_META,
  tripletsSchema,
} from '@tripletkit/common/formats';

test('a source reference has one encoding, and the older FILE (N rows) still reads', () => {
  const enc = encodeSource('emb.arrow', 50);
  assert.equal(enc, '{"file":"emb.arrow","rows":50}');
  assert.deepEqual(decodeSource(enc), { file: 'emb.arrow', rows: 50 });
  assert.deepEqual(decodeSource('data/train (1).arrow (60000 rows)'), { file: 'data/train (1).arrow', rows: 60000 });
  assert.equal(decodeSource(undefined), undefined);
  assert.equal(decodeSource('garbage'), undefined);
  assert.equal(decodeSource('{"file":"x"}'), undefined);
  assert.equal(
    embeddingsMetadata({ file: 'a.arrow', rows: 3 }, 'js')[EMBEDDINGS_META.source],
    encodeSource('a.arrow', 3),
  );
});

test('every metadata key is under tripletkit. and keys shared between kinds are one constant', () => {
  for (const keys of [SHARED_META, IMAGES_META, EMBEDDINGS_META, TRIPLETS_META, INDEX_META]) {
    for (const k of Object.values(keys)) assert.match(k, /^tripletkit\.[a-z_.]+$/);
  }
  assert.equal(TRIPLETS_META.source, EMBEDDINGS_META.source);
  assert.equal(INDEX_META.classes, IMAGES_META.classes);
  assert.deepEqual(decodeClasses('["a",1]'), ['a', '1']);
  assert.equal(decodeClasses('{}'), undefined);
});

test('writer schemas put the kind first and keep the metadata order', () => {
  const s = imagesSchema({ height: 2, width: 3, channels: 1, classes: ['x'], extra: { [IMAGES_META.fit]: 'cover' } });
  assert.deepEqual(
    [...s.metadata.keys()],
    [
      'tripletkit.kind',
      'tripletkit.height',
      'tripletkit.width',
      'tripletkit.channels',
      'tripletkit.classes',
      'tripletkit.fit',
    ],
  );
  assert.deepEqual(
    tripletsSchema({ [TRIPLETS_META.strategy]: 'all' }).fields.map((f) => f.name),
    ['anchor', 'positive', 'negative', 'd_ap', 'd_an'],
  );
  const md = Object.fromEntries(s.metadata);
  assert.deepEqual(checkImages(s.fields, md, 'i.arrow').meta, { height: 2, width: 3, channels: 1, classes: ['x'] });
});

test('the one column checker names the file, the column and what it found', () => {
  const fields = [field('id', int32Type()), field('label', utf8Type())];
  assert.throws(
    () => checkEmbeddings(fields, { file: 'e.arrow' }),
    (e: Error) =>
      isTripletkitError(e) &&
      e.code === 'E_SCHEMA' &&
      /no `embedding` column \(columns found: id, label\)/.test(e.message),
  );
  const trip = [field('anchor', int32Type()), field('positive', float32Type()), field('negative', int32Type())];
  assert.throws(() => checkTriplets(trip, 't.arrow'), /The `positive` column of t\.arrow is Float32, not Int32/);
  const img = imagesSchema({ height: 1, width: 1, channels: 1, classes: [] });
  assert.throws(() => checkImages(img.fields, {}, 'i.arrow'), /lacks consistent tripletkit\.height/);
  assert.throws(() => readIndexMetadata({ [SHARED_META.kind]: 'embeddings' }, 'x.arrow'), /not a search index/);
});
