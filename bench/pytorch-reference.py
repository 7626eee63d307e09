"""PyTorch reference for `npm run bench`: the NB201 weight-sharing supernet (SPEC section 4) written plainly in
PyTorch, timed on the same settings and architectures as nas-surgery's engines in the same run.

Reads one JSON job on stdin and prints one JSON result on stdout:
  {"mode": "train" | "derive", "channels": C, "cells": N, "batch": B, "threads": T,
   "archs": [[op, ...6 ops, dead edges as 0], ...], "warmup": W}
train:  per step, zero_grad -> forward -> cross-entropy -> backward -> clip_grad_norm_(5) -> SGD(0.05, momentum
        0.9, weight decay 5e-4) step, one architecture per step (uniform sampling); returns each step's ms.
derive: per architecture, forward with BN in train mode and no gradient, then accuracy and cross-entropy; returns
        each architecture's ms.
Ops: 0 none, 1 skip, 2 conv 1x1, 3 conv 3x3, 4 avg pool 3x3 (padding excluded from the count).
Run with the python3 that has torch (Debian's /usr/bin/python3 with python3-torch).
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def make_params(c, n, classes=10):
    torch.manual_seed(0)
    p = {}

    def conv(name, cin, cout, k):
        bound = 1 / (cin * k * k) ** 0.5
        p[name] = (torch.rand(cout, cin, k, k) * 2 - 1).mul_(bound).requires_grad_()

    def bn(name, ch):
        p[name + ".gamma"] = torch.ones(ch, requires_grad=True)
        p[name + ".beta"] = torch.zeros(ch, requires_grad=True)

    conv("stem.conv", 3, c, 3)
    bn("stem.bn", c)
    for s in range(3):
        ch = c * 2**s
        if s > 0:
            conv(f"r{s}.conv_a", ch // 2, ch, 3)
            bn(f"r{s}.bn_a", ch)
            conv(f"r{s}.conv_b", ch, ch, 3)
            bn(f"r{s}.bn_b", ch)
            conv(f"r{s}.shortcut", ch // 2, ch, 1)
        for cell in range(n):
            for e in range(6):
                conv(f"s{s}.c{cell}.e{e}.op2", ch, ch, 1)
                conv(f"s{s}.c{cell}.e{e}.op3", ch, ch, 3)
    bn("head.bn", 4 * c)
    p["classifier.w"] = (torch.rand(classes, 4 * c) * 2 - 1).mul_(1 / (4 * c) ** 0.5).requires_grad_()
    p["classifier.b"] = torch.zeros(classes, requires_grad=True)
    return p


def bn_affine(p, x, name):
    return F.batch_norm(x, None, None, p[name + ".gamma"], p[name + ".beta"], training=True)


def forward(p, n, arch, x, training):
    h = bn_affine(p, F.conv2d(x, p["stem.conv"], padding=1), "stem.bn")
    for s in range(3):
        if s > 0:
            a = bn_affine(p, F.conv2d(F.relu(h), p[f"r{s}.conv_a"], stride=2, padding=1), f"r{s}.bn_a")
            b = bn_affine(p, F.conv2d(F.relu(a), p[f"r{s}.conv_b"], padding=1), f"r{s}.bn_b")
            h = b + F.conv2d(F.avg_pool2d(h, 2, 2), p[f"r{s}.shortcut"])
        for cell in range(n):
            nodes = [h, None, None, None]
            for to in (1, 2, 3):
                terms = []
                for e, (frm, t) in enumerate(EDGES):
                    op = arch[e]
                    if t != to or op == 0 or nodes[frm] is None:
                        continue
                    inp = nodes[frm]
                    if op == 1:
                        terms.append(inp)
                    elif op == 4:
                        terms.append(F.avg_pool2d(inp, 3, 1, 1, count_include_pad=False))
                    else:
                        w = p[f"s{s}.c{cell}.e{e}.op{op}"]
                        out = F.conv2d(F.relu(inp), w, padding=1 if op == 3 else 0)
                        terms.append(F.batch_norm(out, None, None, training=True))
                nodes[to] = sum(terms[1:], terms[0]) if terms else None
            h = nodes[3] if nodes[3] is not None else torch.zeros_like(h)
    h = F.relu(bn_affine(p, h, "head.bn"))
    pooled = h.mean((2, 3))
    if training:
        pooled = F.dropout(pooled, 0.1, training=True)
    return F.linear(pooled, p["classifier.w"], p["classifier.b"])


def main():
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    c, n, batch = job["channels"], job["cells"], job["batch"]
    p = make_params(c, n)
    params = list(p.values())
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(batch, 3, 32, 32, generator=gen)
    y = torch.arange(batch) % 10
    archs = job["archs"]
    warmup = job.get("warmup", 1)
    times = []
    if job["mode"] == "train":
        opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=5e-4)
        for k, arch in enumerate(archs):
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = F.cross_entropy(forward(p, n, arch, x, True), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5)
            opt.step()
            if k >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
    else:
        with torch.no_grad():
            for k, arch in enumerate(archs):
                t0 = time.perf_counter()
                logits = forward(p, n, arch, x, False)
                (logits.argmax(1) == y).double().mean().item()
                F.cross_entropy(logits, y).item()
                if k >= warmup:
                    times.append((time.perf_counter() - t0) * 1000)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "ms": times}, sys.stdout)


if __name__ == "__main__":
    main()
