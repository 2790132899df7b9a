// Preloaded with `--import` into a CLI run to simulate a disk that reports success but stores only the first 512
// bytes of every temporary output file (a short write, as a full or flaky network filesystem can produce).
import fs from 'node:fs';

const LIMIT = 512;
const proto = fs.WriteStream.prototype;
const write = proto._write;
const writev = proto._writev;
const sent = new WeakMap();

function keep(stream, chunk) {
  if (!String(stream.path).includes('.tmp-')) return chunk;
  const before = sent.get(stream) ?? 0;
  sent.set(stream, before + chunk.length);
  return chunk.subarray(0, Math.max(0, LIMIT - before));
}

proto._write = function (chunk, encoding, cb) {
  const kept = keep(this, chunk);
  if (kept.length === 0) return cb();
  return write.call(this, kept, encoding, cb);
};
proto._writev = function (chunks, cb) {
  const kept = chunks.map((c) => ({ ...c, chunk: keep(this, c.chunk) })).filter((c) => c.chunk.length > 0);
  if (kept.length === 0) return cb();
  return writev.call(this, kept, cb);
};
