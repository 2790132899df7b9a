/**
 * A one-line progress bar on stderr, drawn only when stderr is a TTY (so logs and CI output stay clean).
 */

/** A running progress display. */
export interface Progress {
  /** Advance by `n` units (default 1). */
  tick(n?: number): void;
  /** Set an absolute position (and optionally a new total). */
  update(done: number, total?: number): void;
  /** Replace the trailing note (e.g. "loss 0.153"). */
  note(text: string): void;
  /** Clear the line. */
  finish(): void;
}

function fmtRate(r: number): string {
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

/**
 * @example
 * const bar = createProgress({ label: 'mine', total: n, unit: 'anchors' });
 * bar.tick(256); ... bar.finish();
 */
export function createProgress(options: {
  label: string;
  total?: number;
  unit?: string;
  stream?: NodeJS.WriteStream;
  enabled?: boolean;
}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? Boolean(stream.isTTY);
  const start = performance.now();
  let done = 0;
  let total = options.total;
  let note = '';
  let last = 0;
  const draw = (force = false) => {
    if (!enabled) return;
    const now = performance.now();
    if (!force && now - last < 100) return; // at most 10 redraws per second
    last = now;
    const secs = (now - start) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const unit = options.unit ?? 'items';
    let line = `${options.label} `;
    if (total) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(frac * width);
      line += `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${done}/${total} `;
      line += `${fmtRate(rate)} ${unit}/s ETA ${fmtTime((total - done) / rate)}`;
    } else {
      line += `${done} ${unit} ${fmtRate(rate)} ${unit}/s`;
    }
    if (note) line += ` ${note}`;
    const cols = stream.columns || 120;
    stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
  };
  return {
    tick(n = 1) {
      done += n;
      draw();
    },
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      draw();
    },
    note(text) {
      note = text;
      draw();
    },
    finish() {
      if (enabled) stream.write('\r\x1b[K');
    },
  };
}
