# PyTorch 1.13 peer of the trainer benchmark (same encoders, same online batch-hard step, Adam 1e-3).
#   torchTrain.py throughput <small-cnn|resnet-small> <steps> <warmup>    -> JSON {rate, perCpu, peakRssMb}
#   torchTrain.py epoch <train-images-idx.gz> <train-labels.gz> <val-images.gz> <val-labels.gz> <n_val> <p> <k>
#                                                                        -> JSON {images, steps, precisionAt1, peakRssMb}
# The epoch mode is the whole process (startup and data reading included), as the trainer's CLI run is.
import gzip, json, os, resource, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

# TORCH_THREADS: intra-op threads (default all cores); the benchmark tries all cores and 1 and keeps the faster,
# because under other load PyTorch's OpenMP threads spin-wait and 1 thread can be the faster setting.
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', os.cpu_count()))); torch.manual_seed(0)

class SmallCnn(nn.Module):
    def __init__(s, c=1, hw=28, d=64):
        super().__init__()
        s.c1 = nn.Conv2d(c, 32, 3, padding=1); s.c2 = nn.Conv2d(32, 64, 3, padding=1)
        s.fc = nn.Linear(64 * (hw // 4) ** 2, d)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c1(x)), 2); x = F.max_pool2d(F.relu(s.c2(x)), 2)
        return F.normalize(s.fc(x.flatten(1)), dim=1)

class Block(nn.Module):
    def __init__(s, cin, cout):
        super().__init__()
        s.a = nn.Conv2d(cin, cout, 3, padding=1, bias=False); s.an = nn.BatchNorm2d(cout)
        s.b = nn.Conv2d(cout, cout, 3, padding=1, bias=False); s.bn = nn.BatchNorm2d(cout)
        s.sc = None if cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))
    def forward(s, x):
        y = s.bn(s.b(F.relu(s.an(s.a(x)))))
        return F.relu(y + (x if s.sc is None else s.sc(x)))

class ResnetSmall(nn.Module):
    def __init__(s, c=3, d=64):
        super().__init__()
        s.b1 = Block(c, 32); s.b2 = Block(32, 64); s.b3 = Block(64, 128); s.fc = nn.Linear(128, d)
    def forward(s, x):
        x = F.max_pool2d(s.b1(x), 2); x = F.max_pool2d(s.b2(x), 2); x = s.b3(x)
        return F.normalize(s.fc(x.mean((2, 3))), dim=1)

def batch_hard_step(net, opt, x, labels, margin=0.2):
    e = net(x); d = torch.cdist(e, e)
    same = labels[:, None] == labels[None, :]; eye = torch.eye(len(labels), dtype=torch.bool)
    dap = torch.where(same & ~eye, d, torch.zeros_like(d)).max(1).values
    dan = torch.where(~same, d, torch.full_like(d, 1e9)).min(1).values
    l = F.relu(dap - dan + margin)
    loss = l.sum() / max(int((l > 0).sum()), 1)
    opt.zero_grad(); loss.backward(); opt.step()
    return float(loss)

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def throughput(encoder, steps, warmup):
    if encoder == 'small-cnn': net, shape = SmallCnn(), (1, 28, 28)
    else: net, shape = ResnetSmall(), (3, 64, 64)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x = torch.rand(128, *shape); labels = torch.arange(32).repeat_interleave(4)
    for _ in range(warmup): batch_hard_step(net, opt, x, labels)
    t = time.perf_counter(); c = time.process_time()
    for _ in range(steps): batch_hard_step(net, opt, x, labels)
    n = 128 * steps
    print(json.dumps({"rate": n / (time.perf_counter() - t), "perCpu": n / (time.process_time() - c), "peakRssMb": peak_mb()}))

def idx(path, count=None):
    with gzip.open(path, 'rb') as f: data = f.read()
    dims = data[3]; shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(dims)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    return arr if count is None else arr[:count]

def epoch(train_x, train_y, val_x, val_y, n_val, p, k):
    x = torch.from_numpy(idx(train_x).astype(np.float32) / 255).unsqueeze(1); y = torch.from_numpy(idx(train_y).astype(np.int64))
    net = SmallCnn(); opt = torch.optim.Adam(net.parameters(), 1e-3)
    rng = np.random.default_rng(0); per = [rng.permutation(np.flatnonzero(y.numpy() == c)) for c in range(int(y.max()) + 1)]
    steps = len(y) // (p * k); pos = [0] * len(per)
    for s in range(steps):
        classes = rng.choice(len(per), p, replace=False); rows = []
        for c in classes:
            if pos[c] + k > len(per[c]): per[c] = rng.permutation(per[c]); pos[c] = 0
            rows.extend(per[c][pos[c]:pos[c] + k]); pos[c] += k
        rows = torch.as_tensor(np.array(rows))
        batch_hard_step(net, opt, x[rows], y[rows])
    vx = torch.from_numpy(idx(val_x, n_val).astype(np.float32) / 255).unsqueeze(1); vy = torch.from_numpy(idx(val_y, n_val).astype(np.int64))
    with torch.no_grad():
        e = net(vx); d = torch.cdist(e, e); d.fill_diagonal_(float('inf'))
        p1 = float((vy[d.argmin(1)] == vy).float().mean())
    print(json.dumps({"images": steps * p * k, "steps": steps, "precisionAt1": p1, "peakRssMb": peak_mb()}))

if sys.argv[1] == 'throughput': throughput(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
else: epoch(*sys.argv[2:6], int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]))
