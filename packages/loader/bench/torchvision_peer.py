"""Peer for bench/throughput.ts: torchvision ImageFolder + DataLoader(num_workers=2, batch_size=64) over a folder,
with the transforms tripletkit applies (Resize + CenterCrop = fit 'cover'; Grayscale for 1 channel; ToTensor).
Prints one JSON line: images, seconds, images_per_second, cpu_seconds (all processes)."""
import json
import resource
import sys
import time

import torch
from torchvision import datasets, transforms

root, size, channels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(1)
steps = [transforms.Resize(size), transforms.CenterCrop(size)]
if channels == 1:
    steps.append(transforms.Grayscale(1))
steps.append(transforms.ToTensor())
def cpu():
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)  # the DataLoader workers, once joined
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


cpu0 = cpu()
start = time.perf_counter()
ds = datasets.ImageFolder(root, transform=transforms.Compose(steps))
dl = torch.utils.data.DataLoader(ds, batch_size=64, num_workers=2)
n = 0
for x, y in dl:
    n += len(y)
secs = time.perf_counter() - start
del dl  # join the workers so their CPU time is counted
cpu_secs = cpu() - cpu0
print(json.dumps({"images": n, "seconds": secs, "images_per_second": n / secs, "cpu_seconds": cpu_secs}))
