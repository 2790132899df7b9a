/**
 * PyTorch Metric Learning as a side-by-side peer in tests: /usr/bin/python3 with PyTorch (Debian's python3-torch) and
 * the pytorch_metric_learning wheel imported straight from its zip (no pip install), with the sklearn/scipy/tqdm
 * imports it makes for unrelated features stubbed. Tests skip with a message when the peer is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './cli.ts';

const PYTHON = '/usr/bin/python3';
const WHEEL_DIRS = ['/opt/pypi/files', path.join(import.meta.dirname, '..', '..', '.whl')];

/** Python prelude: puts the wheel on sys.path (argv[1]) and stubs PML's optional imports. */
const PRELUDE = `
import json, sys, types
wheel, data_path = sys.argv[1], sys.argv[2]
sys.path.insert(0, wheel)
def stub(name, **attrs):
    m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m; return m
try:
    import sklearn.metrics  # noqa: F401
except ImportError:
    stub('sklearn').metrics = stub('sklearn.metrics', adjusted_mutual_info_score=None, normalized_mutual_info_score=None)
try:
    import scipy.stats  # noqa: F401
except ImportError:
    stub('scipy').stats = stub('scipy.stats', rankdata=None)
try:
    import tqdm  # noqa: F401
except ImportError:
    stub('tqdm', tqdm=lambda x, *a, **k: x)
import torch
`;

function findWheel(): string | undefined {
  for (const dir of WHEEL_DIRS) {
    if (!existsSync(dir)) continue;
    const f = readdirSync(dir).find((n) => /^pytorch_metric_learning-.*\.whl$/.test(n));
    if (f) return path.join(dir, f);
  }
  return undefined;
}

/** The wheel to use, or why the peer is unavailable (a message for `t.skip`). */
export function pmlPeer(): { wheel: string } | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const torch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (torch.status !== 0) return 'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch)';
  const wheel = findWheel();
  if (!wheel) return `no pytorch_metric_learning wheel in ${WHEEL_DIRS.join(' or ')}`;
  return { wheel };
}

/**
 * Runs `script` (after the prelude; `data_path` holds `input` as JSON, the script prints JSON) and returns its output.
 *
 * @example
 * const out = await runPml<number[]>(peer.wheel, 'print(json.dumps([1]))', {});
 */
export async function runPml<T>(wheel: string, script: string, input: unknown): Promise<T> {
  const file = path.join(await tempDir(), 'input.json');
  await fs.writeFile(file, JSON.stringify(input));
  const r = spawnSync(PYTHON, ['-c', PRELUDE + script, wheel, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`PML peer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
