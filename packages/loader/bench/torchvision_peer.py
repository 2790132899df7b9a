"""Peer for bench/throughput.ts: torchvision ImageFolder + DataLoader(num_workers=2, batch_size=64) over a folder,
with the transforms tripletkit applies (Resize + CenterCrop = fit 'cover'; Grayscale for 1 channel; ToTensor).
Prints one JSON line: images, seconds, images_per_second."""
import json
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
start = time.perf_counter()
ds = datasets.ImageFolder(root, transform=transforms.Compose(steps))
dl = torch.utils.data.DataLoader(ds, batch_size=64, num_workers=2)
n = 0
for x, y in dl:
    n += len(y)
secs = time.perf_counter() - start
print(json.dumps({"images": n, "seconds": secs, "images_per_second": n / secs}))
