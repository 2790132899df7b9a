/**
 * Seeded corruption of Arrow files: good images / embeddings / triplets files in both IPC formats, their byte regions
 * (header, schema, body, footer), mutations that hit lengths and offsets, and the library reader of each kind.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Int32, Utf8 } from 'apache-arrow';
import {
  field,
  fixedSizeListData,
  float32ListType,
  int32Data,
  isTripletkitError,
  Rng,
  recordBatch,
  schemaOf,
  uint8ListType,
  utf8Data,
  writeArrow,
} from '../../../packages/common/src/index.ts';
import { openImages } from '../../../packages/loader/src/index.ts';
import { mineFile, readEmbeddings } from '../../../packages/miner/src/index.ts';
import { readTriplets } from '../../../packages/trainer/src/data/tripletsFile.ts';

export type FileKind = 'images' | 'embeddings' | 'triplets';
export type Region = 'header' | 'schema' | 'body' | 'footer';
export const ROWS = 60;

/** Writes good files of every kind in both formats under `dir`; returns their paths keyed `kind.format`. */
export async function writeGoodFiles(dir: string): Promise<Record<string, string>> {
  const rng = new Rng(7);
  const out: Record<string, string> = {};
  const dim = 8;
  const embSchema = schemaOf(
    [field('embedding', float32ListType(dim)), field('label', new Int32()), field('path', new Utf8())],
    { 'tripletkit.kind': 'embeddings' },
  );
  const imgSchema = schemaOf(
    [field('pixels', uint8ListType(4 * 4)), field('label', new Int32()), field('path', new Utf8())],
    {
      'tripletkit.kind': 'images',
      'tripletkit.height': '4',
      'tripletkit.width': '4',
      'tripletkit.channels': '1',
      'tripletkit.classes': JSON.stringify(['a', 'b', 'c']),
    },
  );
  const batchesOf = (schema: typeof embSchema, kind: 'emb' | 'img') =>
    [0, 20, 40].map((start) => {
      const n = 20;
      const labels = Int32Array.from({ length: n }, (_, i) => (start + i) % 3);
      const paths = Array.from({ length: n }, (_, i) => `${['a', 'b', 'c'][(start + i) % 3]}/${start + i}.png`);
      const first =
        kind === 'emb'
          ? fixedSizeListData(
              Float32Array.from({ length: n * dim }, () => rng.next() - 0.5 + 0),
              dim,
            )
          : fixedSizeListData(
              Uint8Array.from({ length: n * 16 }, () => rng.int(256)),
              16,
            );
      return recordBatch(schema, [first, int32Data(labels), utf8Data(paths)]);
    });
  for (const format of ['file', 'stream'] as const) {
    out[`embeddings.${format}`] = path.join(dir, `emb-${format}.arrow`);
    await writeArrow(out[`embeddings.${format}`], embSchema, batchesOf(embSchema, 'emb'), { format });
    out[`images.${format}`] = path.join(dir, `img-${format}.arrow`);
    await writeArrow(out[`images.${format}`], imgSchema, batchesOf(imgSchema, 'img'), { format });
    out[`triplets.${format}`] = path.join(dir, `tri-${format}.arrow`);
    await mineFile({
      embeddings: out[`embeddings.${format}`],
      strategy: 'all',
      margin: 0.2,
      maxPerAnchor: 4,
      output: out[`triplets.${format}`],
      format,
    });
  }
  return out;
}

/** Byte ranges [start, end) of each region. File format: magic, body, footer (the schema lives in the footer). */
export function regionsOf(buf: Buffer): Partial<Record<Region, [number, number]>> {
  const size = buf.length;
  if (buf.subarray(0, 6).toString('latin1') === 'ARROW1') {
    const footerLen = buf.readInt32LE(size - 10);
    const footerStart = size - 10 - footerLen;
    return { header: [0, 8], body: [8, footerStart], footer: [footerStart, size] };
  }
  const schemaEnd = 8 + buf.readInt32LE(4);
  return { header: [0, 8], schema: [8, schemaEnd], body: [schemaEnd, size - 8], footer: [size - 8, size] };
}

/** One seeded mutation inside [start, end): a byte, a flipped byte, a 32/64-bit length, zeroes, or a cut. */
export function mutate(buf: Buffer, [start, end]: [number, number], rng: Rng): { bytes: Buffer; how: string } {
  const b = Buffer.from(buf);
  const at = start + rng.int(end - start);
  switch (rng.int(6)) {
    case 0:
      b[at] = rng.int(256);
      return { bytes: b, how: `byte ${at} = ${b[at]}` };
    case 1:
      b[at] ^= 0xff;
      return { bytes: b, how: `byte ${at} flipped` };
    case 2: {
      const p = Math.min(at - (at % 4), b.length - 4);
      const v = [0x7fffffff, 0xffffffff, 0x40000000, rng.nextU32()][rng.int(4)];
      b.writeUInt32LE(v >>> 0, p);
      return { bytes: b, how: `u32 at ${p} = ${v}` };
    }
    case 3: {
      const p = Math.max(0, Math.min(at - (at % 8), b.length - 8));
      b.writeBigInt64LE([2n ** 62n, 2n ** 40n, -1n, 2n ** 31n][rng.int(4)], p);
      return { bytes: b, how: `i64 at ${p}` };
    }
    case 4: {
      const n = 1 + rng.int(16);
      b.fill(0, at, Math.min(b.length, at + n));
      return { bytes: b, how: `${n} zero bytes at ${at}` };
    }
    default:
      return { bytes: b.subarray(0, at), how: `cut at ${at}` };
  }
}

/** Reads a file of `kind` fully through the library reader the CLI uses; returns a digest of the data read. */
export async function readKind(kind: FileKind, file: string): Promise<string> {
  const hash = createHash('sha256');
  // The typed arrays' bytes as they are: no per-element copy into a JSON string.
  const add = (a: ArrayBufferView | string) =>
    hash.update(typeof a === 'string' ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  if (kind === 'embeddings') {
    const e = await readEmbeddings(file);
    add(e.embeddings);
    add(e.labels);
  } else if (kind === 'triplets') {
    const t = await readTriplets(file, ROWS);
    add(t.anchors);
    add(t.positives);
    add(t.negatives);
  } else {
    const f = await openImages(file);
    try {
      add(await f.labels());
      add(JSON.stringify(await f.paths()));
      for await (const b of f.batches()) add(b.pixels);
      add((await f.readRows([0, ROWS - 1, 7])).pixels);
    } finally {
      await f.close();
    }
  }
  return hash.digest('hex');
}

/**
 * `ok` (read, same data as the good file), `ok: different data` (read without an error but the rows differ: a
 * silent corruption), a TripletkitError code, or `unexpected: …` for anything else.
 */
export async function outcomeOf(kind: FileKind, file: string, goodDigest?: string): Promise<string> {
  try {
    const digest = await readKind(kind, file);
    return goodDigest === undefined || digest === goodDigest ? 'ok' : 'ok: different data';
  } catch (err) {
    if (isTripletkitError(err)) {
      if (/\n/.test(err.message)) return `unexpected: multi-line message: ${err.message}`;
      return err.code;
    }
    return `unexpected: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
}

/** Runs `count` seeded cases of `kind`, regions round-robin; returns per-case outcomes. */
export async function fuzzKind(
  dir: string,
  files: Record<string, string>,
  kind: FileKind,
  seed: number,
  count: number,
  onlyRegion?: Region,
) {
  const rng = new Rng(seed);
  const results: { region: Region; format: string; how: string; outcome: string; ms: number }[] = [];
  const goods = {
    file: await fs.readFile(files[`${kind}.file`]),
    stream: await fs.readFile(files[`${kind}.stream`]),
  };
  const digests = {
    file: await readKind(kind, files[`${kind}.file`]),
    stream: await readKind(kind, files[`${kind}.stream`]),
  };
  const target = path.join(dir, `case-${kind}.arrow`);
  for (let i = 0; i < count; i++) {
    const format = i % 2 === 0 ? 'file' : 'stream';
    const good = goods[format];
    const regions = regionsOf(good);
    const names = (Object.keys(regions) as Region[]).filter((r) => !onlyRegion || r === onlyRegion);
    const region = names[Math.floor(i / 2) % names.length];
    const { bytes, how } = mutate(good, regions[region]!, rng);
    await fs.writeFile(target, bytes);
    const t0 = performance.now();
    const outcome = await outcomeOf(kind, target, digests[format]);
    results.push({ region, format, how, outcome, ms: performance.now() - t0 });
  }
  return results;
}
