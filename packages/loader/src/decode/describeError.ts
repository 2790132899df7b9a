/** Turns a decoder's error into a short stable reason for the bad-file report. */

/**
 * @example
 * describeError(new Error('Input buffer contains unsupported image format')); // 'not-an-image'
 */
export function describeError(err: unknown): { reason: string; message: string } {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
  const m = message.toLowerCase();
  let reason = 'corrupt';
  if (m.includes('unsupported image format')) reason = 'not-an-image';
  else if (m.includes('pixel limit')) reason = 'too-many-pixels';
  else if (/premature end|truncat|unexpected end|end of (file|input|stream)|not enough data|short read/.test(m)) {
    reason = 'truncated';
  }
  return { reason, message };
}
