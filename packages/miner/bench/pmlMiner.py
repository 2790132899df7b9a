# PyTorch Metric Learning's own TripletMarginMiner, in-process, as the peer of the output-heavy mining benchmark.
# The wheel is imported straight from its zip (as test/helpers/pml.ts does); PML's optional imports are stubbed.
# Usage: pmlMiner.py wheel data.bin n dim margin type repeats  -> one JSON line (times exclude imports and loading)
import json, resource, sys, time, types

wheel, path, n, dim, margin, kind, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], int(sys.argv[7])
sys.path.insert(0, wheel)


def stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


try:
    import sklearn.metrics  # noqa: F401
except ImportError:
    stub("sklearn").metrics = stub("sklearn.metrics", adjusted_mutual_info_score=None, normalized_mutual_info_score=None)
try:
    import scipy.stats  # noqa: F401
except ImportError:
    stub("scipy").stats = stub("scipy.stats", rankdata=None)
try:
    import tqdm  # noqa: F401
except ImportError:
    stub("tqdm", tqdm=lambda x, *a, **k: x)
import numpy as np
import torch
from pytorch_metric_learning import miners

raw = np.fromfile(path, dtype=np.uint8)
x = torch.from_numpy(raw[: n * dim * 4].view(np.float32).reshape(n, dim).copy())
labels = torch.from_numpy(raw[n * dim * 4 :].view(np.int32).copy()).long()
torch.set_num_threads(2)
miner = miners.TripletMarginMiner(margin=margin, type_of_triplets=kind)
times, count = [], 0
for _ in range(repeats):
    t0 = time.perf_counter()
    a, p, nn = miner(x, labels)
    count = int(a.numel())
    times.append(time.perf_counter() - t0)
    del a, p, nn
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"times": times, "triplets": count, "peakRss": peak, "torch": torch.__version__}))
