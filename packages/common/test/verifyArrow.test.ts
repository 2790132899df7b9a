import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  field,
  int32Data,
  int32Type,
  isIntType,
  isTripletkitError,
  recordBatch,
  schemaOf,
  verifyArrow,
  writeArrow,
} from '../src/index.ts';

const schema = schemaOf([field('label', int32Type())]);
const batch = (n: number) => recordBatch(schema, [int32Data(new Int32Array(n).map((_, i) => i))]);

test('verifyArrow accepts what writeArrow wrote and rejects short or miscounted files', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tk-verify-'));
  for (const format of ['file', 'stream'] as const) {
    const out = path.join(dir, `x.${format}.arrow`);
    assert.deepEqual(await writeArrow(out, schema, [batch(5), batch(7)], { format }), { rows: 12, batches: 2 });
    await verifyArrow(out, out, { format, rows: 12, batches: 2 });
    await assert.rejects(verifyArrow(out, out, { format, rows: 13, batches: 2 }), (e) =>
      isTripletkitError(e, 'E_WRITE'),
    );
    const bytes = await fs.readFile(out);
    const cut = path.join(dir, `cut.${format}.arrow`);
    await fs.writeFile(cut, bytes.subarray(0, bytes.length - 40));
    await assert.rejects(verifyArrow(cut, out, { format, rows: 12, batches: 2 }), (e) =>
      isTripletkitError(e, 'E_WRITE'),
    );
  }
});

test('writeArrow refuses a batch from another apache-arrow copy instead of dropping it', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tk-verify-'));
  const out = path.join(dir, 'x.arrow');
  const foreign = { ...batch(3), numRows: 3 } as unknown as ReturnType<typeof batch>;
  await assert.rejects(writeArrow(out, schema, [foreign]), /not built by @tripletkit\/common/);
  assert.deepEqual(await fs.readdir(dir), []);
});

test('isIntType checks by value, so types from any apache-arrow copy pass', () => {
  assert.ok(isIntType({ typeId: 2, bitWidth: 32, isSigned: true }, 32, true));
  assert.ok(isIntType(int32Type(), 32, true));
  assert.ok(!isIntType({ typeId: 2, bitWidth: 8, isSigned: false }, 32, true));
});
