# Brute-force PyTorch peer for the mining benchmark: all semi-hard triplets, PML's conditions, vectorised with cdist
# and boolean masks over anchor blocks (N x N x N in blocks, the fastest straightforward PyTorch formulation).
# Usage: torchSemiHard.py data.bin n dim margin repeats  -> one JSON line
import json, resource, sys, time
import numpy as np
import torch

path, n, dim, margin, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
raw = np.fromfile(path, dtype=np.uint8)
x = torch.from_numpy(raw[: n * dim * 4].view(np.float32).reshape(n, dim).copy())
labels = torch.from_numpy(raw[n * dim * 4 :].view(np.int32).copy())
torch.set_num_threads(2)
times = []
cpu = []
count = 0
for _ in range(repeats):
    t0 = time.perf_counter()
    c0 = time.process_time()
    xn = torch.nn.functional.normalize(x, p=2, dim=1)
    d = torch.cdist(xn, xn)
    same = labels[:, None] == labels[None, :]
    pos = same & ~torch.eye(n, dtype=torch.bool)
    neg = ~same
    count = 0
    block = 128
    for a0 in range(0, n, block):
        da = d[a0 : a0 + block]
        tm = da[:, None, :] - da[:, :, None]  # [a, p, n] = d_an - d_ap
        mask = pos[a0 : a0 + block, :, None] & neg[a0 : a0 + block, None, :] & (tm > 0) & (tm <= margin)
        a, p, nn = torch.where(mask)
        count += a.numel()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"times": times, "cpu": cpu, "triplets": count, "peakRss": peak, "torch": torch.__version__}))
