/**
 * Peak RSS of a whole process tree: the root's peak from /usr/bin/time (the kernel's own figure), plus each
 * descendant process's peak (VmHWM, polled every 50 ms while it runs). Worker threads are part of their process;
 * child processes (a Python DataLoader's workers, say) are summed, as separate memory they are.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface TreeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Σ peak RSS of the root and its descendants, bytes. */
  peakRss: number;
}

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const list = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // the process ended between two reads
  }
  return out;
}

function hwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `cmd args` under /usr/bin/time and measures the tree's peak RSS.
 *
 * @example
 * const r = await runTree('/usr/bin/python3', ['train.py']); console.log(r.peakRss / 2 ** 20, 'MB');
 */
export function runTree(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<TreeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TREE_RSS_KB=%M', cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Descendants of the command (the child of /usr/bin/time is the root, measured by time itself).
    const peaks = new Map<number, number>();
    const poll = setInterval(() => {
      const root = children(child.pid ?? -1)[0];
      if (root === undefined) return;
      const todo = children(root);
      while (todo.length) {
        const pid = todo.pop() as number;
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, hwm(pid)));
        todo.push(...children(pid));
      }
    }, 50);
    child.on('error', (err) => {
      clearInterval(poll);
      reject(err);
    });
    child.on('close', (status) => {
      clearInterval(poll);
      const root = Number(/TREE_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) * 1024;
      let sum = root;
      for (const v of peaks.values()) sum += v;
      resolve({ status, stdout, stderr: stderr.replace(/TREE_RSS_KB=\d+\n?/, ''), peakRss: sum });
    });
  });
}
