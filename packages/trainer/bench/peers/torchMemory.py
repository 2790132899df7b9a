# PyTorch 1.13 peer of bench/memoryVsPytorch.ts: small-cnn (the trainer's built-in encoder, same layers), one online
# batch-hard step per batch of P×K images, Adam 1e-3, intra-op threads = all cores (one process, as PyTorch trains).
#   torchMemory.py <height> <channels> <batch> <steps>   -> JSON {imagesPerSecond, peakRssMb}
# Each batch is P×K rows of the 60k Fashion-MNIST train images (uint8, in memory, as a torchvision dataset holds
# them), resized to <height>² and repeated to <channels> per step — what a DataLoader transform would do.
import gzip, json, os, resource, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(int(os.environ.get('TORCH_THREADS', os.cpu_count()))); torch.manual_seed(0)
IDX = '/usr/share/datasets/fashion-mnist'

class SmallCnn(nn.Module):
    def __init__(s, c, hw, d=64):
        super().__init__()
        s.c1 = nn.Conv2d(c, 32, 3, padding=1); s.c2 = nn.Conv2d(32, 64, 3, padding=1)
        s.fc = nn.Linear(64 * (hw // 4) ** 2, d)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c1(x)), 2); x = F.max_pool2d(F.relu(s.c2(x)), 2)
        return F.normalize(s.fc(x.flatten(1)), dim=1)

def idx(path):
    with gzip.open(path, 'rb') as f: data = f.read()
    dims = data[3]; shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

def main(hw, c, batch, steps):
    images = torch.from_numpy(idx(f'{IDX}/train-images-idx3-ubyte.gz').copy())
    labels = torch.from_numpy(idx(f'{IDX}/train-labels-idx1-ubyte.gz').astype(np.int64))
    net = SmallCnn(c, hw); opt = torch.optim.Adam(net.parameters(), 1e-3)
    p = 10; k = batch // p; rng = np.random.default_rng(0)
    per = [np.flatnonzero(labels.numpy() == cl) for cl in range(10)]
    t = None
    for s in range(steps + 1):
        if s == 1: t = time.perf_counter()  # the first step warms up
        rows = torch.as_tensor(np.concatenate([rng.choice(per[cl], k, replace=False) for cl in range(p)]))
        x = images[rows].unsqueeze(1).float() / 255
        if hw != 28: x = F.interpolate(x, size=(hw, hw), mode='bilinear', align_corners=False)
        x = x.expand(-1, c, -1, -1).contiguous(); y = labels[rows]
        e = net(x); d = torch.cdist(e, e)
        same = y[:, None] == y[None, :]; eye = torch.eye(len(y), dtype=torch.bool)
        dap = torch.where(same & ~eye, d, torch.zeros_like(d)).max(1).values
        dan = torch.where(~same, d, torch.full_like(d, 1e9)).min(1).values
        l = F.relu(dap - dan + 0.2); loss = l.sum() / max(int((l > 0).sum()), 1)
        opt.zero_grad(); loss.backward(); opt.step()
    rate = steps * p * k / (time.perf_counter() - t)
    print(json.dumps({"imagesPerSecond": rate, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))

main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
