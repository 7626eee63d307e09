"""PyTorch reference for `npm run bench`: the NB201 weight-sharing supernet (SPEC section 4) written plainly in
PyTorch, timed on the same settings and architectures as nas-surgery's engines in the same run.

Reads one JSON job on stdin and prints one JSON result on stdout:
  {"mode": "train" | "derive" | "zeroshot", "channels": C, "cells": N, "batch": B, "threads": T,
   "archs": [[op, ...6 ops, dead edges as 0], ...], "warmup": W}
train:  per step, zero_grad -> forward -> cross-entropy -> backward -> clip_grad_norm_(5) -> SGD(0.05, momentum
        0.9, weight decay 5e-4) step, one architecture per step (uniform sampling); returns each step's ms.
derive: per architecture, forward with BN in train mode and no gradient, then accuracy and cross-entropy; returns
        each architecture's ms.
zeroshot: per architecture, the proxies as zero-cost-nas computes them (grad_norm, snip, grasp with create_graph,
        fisher from activation gradients, jacob_cov, synflow with |W| and BN removed, plain) plus NASWOT's
        relu_logdet, on one batch of random images; returns each architecture's ms.
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


class Hooks:
    """Optional taps of the forward pass (zero-shot): BN off, ReLU inputs, convolution outputs."""

    def __init__(self, bn=True, relu=None, conv=None):
        self.bn, self.relu, self.conv = bn, relu, conv


PLAIN = Hooks()


def forward(p, n, arch, x, training, hooks=PLAIN):
    def relu(t):
        if hooks.relu is not None:
            hooks.relu(t)
        return F.relu(t)

    def conv(t, w, **kw):
        out = F.conv2d(t, w, **kw)
        return hooks.conv(out) if hooks.conv is not None else out

    def bn(t, name=None):
        if not hooks.bn:
            return t
        if name is None:
            return F.batch_norm(t, None, None, training=True)
        return F.batch_norm(t, None, None, p[name + ".gamma"], p[name + ".beta"], training=True)

    h = bn(conv(x, p["stem.conv"], padding=1), "stem.bn")
    for s in range(3):
        if s > 0:
            a = bn(conv(relu(h), p[f"r{s}.conv_a"], stride=2, padding=1), f"r{s}.bn_a")
            b = bn(conv(relu(a), p[f"r{s}.conv_b"], padding=1), f"r{s}.bn_b")
            h = b + conv(F.avg_pool2d(h, 2, 2), p[f"r{s}.shortcut"])
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
                        terms.append(bn(conv(relu(inp), w, padding=1 if op == 3 else 0)))
                nodes[to] = sum(terms[1:], terms[0]) if terms else None
            h = nodes[3] if nodes[3] is not None else torch.zeros_like(h)
    h = relu(bn(h, "head.bn"))
    pooled = h.mean((2, 3))
    if training:
        pooled = F.dropout(pooled, 0.1, training=True)
    return F.linear(pooled, p["classifier.w"], p["classifier.b"])


def used_weights(p, n, arch):
    """The convolution filters and classifier matrix an architecture uses (live edges only)."""
    names = ["stem.conv", "classifier.w"]
    for s in range(3):
        if s > 0:
            names += [f"r{s}.conv_a", f"r{s}.conv_b", f"r{s}.shortcut"]
        for cell in range(n):
            names += [f"s{s}.c{cell}.e{e}.op{op}" for e, op in enumerate(arch) if op in (2, 3)]
    return names


def zero_shot(p, n, arch, x, y):
    names = used_weights(p, n, arch)
    ws = [p[k] for k in names]
    b = x.shape[0]
    # 1. cross-entropy: grad_norm, snip, plain, fisher (activation gradients), relu_logdet (ReLU codes).
    acts = []
    gram = torch.zeros(b, b, dtype=torch.float64)

    def tap(t):
        codes = (t.detach().reshape(b, -1) > 0).double()
        gram.add_(codes @ codes.t() + (1 - codes) @ (1 - codes).t())

    def keep(t):
        t.retain_grad()
        acts.append(t)
        return t

    logits = forward(p, n, arch, x, False, Hooks(relu=tap, conv=keep))
    keep(logits)
    loss = F.cross_entropy(logits, y)
    gs = torch.autograd.grad(loss, ws + acts, create_graph=True)
    g, ga = gs[: len(ws)], gs[len(ws):]
    with torch.no_grad():
        sum(gi.norm() for gi in g).item()
        sum((gi * w).abs().sum() for gi, w in zip(g, ws)).item()
        sum((gi * w).sum() for gi, w in zip(g, ws)).item()
        sum(((a * d).sum((2, 3)) if a.dim() == 4 else a * d).pow(2).sum() for a, d in zip(acts, ga)).item()
        torch.linalg.slogdet(gram)
    # 2. grasp: H·g by differentiating g·stop(g) once more.
    hg = torch.autograd.grad(sum((gi * gi.detach()).sum() for gi in g), ws)
    (-sum((w * h).sum() for w, h in zip(ws, hg))).item()
    # 3. jacob_cov: the images' gradient of Σ logits, correlation between images.
    xi = x.clone().requires_grad_()
    (jx,) = torch.autograd.grad(forward(p, n, arch, xi, False).sum(), xi)
    j = jx.reshape(b, -1)
    corr = torch.corrcoef(j)
    torch.linalg.eigvalsh(corr.double())
    # 4. synflow: |W|, BN removed, one all-ones image.
    absp = {k: v.detach().abs().requires_grad_() for k, v in p.items()}
    out = forward(absp, n, arch, torch.ones(1, *x.shape[1:]), False, Hooks(bn=False)).sum()
    gsyn = torch.autograd.grad(out, [absp[k] for k in names])
    sum((absp[k] * gk).abs().sum() for k, gk in zip(names, gsyn)).item()


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
    elif job["mode"] == "zeroshot":
        for k, arch in enumerate(archs):
            t0 = time.perf_counter()
            zero_shot(p, n, arch, x, y)
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
