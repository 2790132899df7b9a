/**
 * Progress on stderr: a one-line bar on a terminal; on anything else (a CI log, a file) a plain line every few seconds
 * so long jobs show life without control characters. Off with `--quiet` (TRIPLETKIT_PROGRESS=off), and the bar gives
 * way to plain lines with CI=true or TERM=dumb. Library callers choose with the `progress` option of train,
 * embedImages and mineFile: true (this display, the default), false (nothing) or a function called with each update.
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

/** A library function's `progress` option: the display (true, default), none (false), or your own callback. */
export type ProgressOption = boolean | ((update: { label: string; done: number; total: number | undefined }) => void);

/** Seconds between plain progress lines when stderr is not a terminal. */
const LINE_INTERVAL_MS = 5000;

/** How progress is shown by default here: a bar, plain lines, or nothing. */
function defaultMode(stream: NodeJS.WriteStream): 'bar' | 'lines' | 'off' {
  const env = process.env;
  if (env.TRIPLETKIT_PROGRESS === 'off') return 'off';
  const dumb = env.TERM === 'dumb' || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0');
  return stream.isTTY && !dumb ? 'bar' : 'lines';
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
  /** false: no display at all; true: the bar even off a terminal; default: as {@link defaultMode} decides. */
  enabled?: boolean;
  /** A library caller's `progress` option: false → nothing, a function → called instead of the display. */
  progress?: ProgressOption;
}): Progress {
  const stream = options.stream ?? process.stderr;
  const callback = typeof options.progress === 'function' ? options.progress : undefined;
  const mode =
    options.progress === false || callback || options.enabled === false
      ? 'off'
      : options.enabled
        ? 'bar'
        : defaultMode(stream);
  const enabled = mode === 'bar';
  const start = performance.now();
  let done = 0;
  let total = options.total;
  let note = '';
  let last = 0;
  const draw = (force = false) => {
    callback?.({ label: options.label, done, total });
    if (mode === 'off') return;
    const now = performance.now();
    if (mode === 'lines') {
      // Plain lines: the first after a few seconds (short jobs print nothing), then one every few seconds.
      if (now - Math.max(last, start) < LINE_INTERVAL_MS) return;
      last = now;
      stream.write(`${line(now)}\n`);
      return;
    }
    if (!force && now - last < 100) return; // at most 10 redraws per second
    last = now;
    const cols = stream.columns || 120;
    stream.write(`\r${line(now).slice(0, cols - 1)}\x1b[K`);
  };
  const line = (now: number) => {
    const secs = (now - start) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const unit = options.unit ?? 'items';
    let text = `${options.label} `;
    if (total) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(frac * width);
      text += `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${done}/${total} `;
      text += `${fmtRate(rate)} ${unit}/s ETA ${fmtTime((total - done) / rate)}`;
    } else {
      text += `${done} ${unit} ${fmtRate(rate)} ${unit}/s`;
    }
    if (note) text += ` ${note}`;
    return text;
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
