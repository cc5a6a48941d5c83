#!/usr/bin/python3
"""The seed notebook's model in PyTorch, written for the speed comparison (bench/compare.sh): the same
stimulus, LIF layer (update order included), membrane-only readout, loss, Adam and sizes as the notebook.
Prints JSON with the time of each training step (forward + backward + Adam, batch 64) and of each epoch
(64 steps plus the validation pass over 4096 samples), and the peak RSS.

Usage: torch_notebook.py --threads 2 --steps 30 --epochs 2
"""
import argparse, json, resource, time
import numpy as np
import torch
import torch.nn as nn

DT, ANF, STEPS, H, C, TAU = 1e-3, 100, 100, 30, 12, 5e-3
B, TRAIN_BATCHES = 64, 64


def input_signal(ipd, rng):
    times = np.arange(STEPS) * DT
    phi = 2 * np.pi * (20 * times + rng.random())
    theta = np.zeros((len(ipd), STEPS, 2 * ANF))
    delays = np.linspace(0, np.pi / 2, ANF)
    theta[:, :, :ANF] = phi[None, :, None] + delays[None, None, :]
    theta[:, :, ANF:] = phi[None, :, None] + delays[None, None, :] + ipd[:, None, None]
    return rng.random((len(ipd), STEPS, 2 * ANF)) < 600 * DT * (0.5 * (1 + np.sin(theta))) ** 2


class SurrGradSpike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        out = torch.zeros_like(inp)
        out[inp > 0] = 1.0
        return out

    @staticmethod
    def backward(ctx, grad_output):
        inp, = ctx.saved_tensors
        s = torch.sigmoid(5 * inp)
        return grad_output * 5 * s * (1 - s)


spike_fn = SurrGradSpike.apply


def snn(x, w1, w2, signs):
    w1 = torch.abs(w1) * signs[0]
    w2 = torch.abs(w2) * signs[1]
    alpha = np.exp(-DT / TAU)
    v = torch.zeros((x.shape[0], H))
    s = torch.zeros((x.shape[0], H))
    s_rec = [s]
    h = torch.einsum("abc,cd->abd", (x, w1))
    for t in range(STEPS - 1):
        new_v = (alpha * v + h[:, t, :]) * (1 - s)
        s = spike_fn(v - 1)
        v = new_v
        s_rec.append(s)
    s_rec = torch.stack(s_rec, dim=1)
    h2 = torch.einsum("abc,cd->abd", (s_rec, w2))
    u = torch.zeros((x.shape[0], C))
    u_rec = [u]
    for t in range(STEPS - 1):
        u = alpha * u + h2[:, t, :]
        u_rec.append(u)
    return torch.stack(u_rec, dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--config", default="", help="label of the runtime configuration (compare.sh)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    n = B * TRAIN_BATCHES
    ipd = rng.random(n) * np.pi - np.pi / 2
    x = torch.tensor(input_signal(ipd, rng), dtype=torch.float)
    y = torch.tensor(((ipd + np.pi / 2) * C / np.pi).astype(np.int64))
    xv, yv = x.clone(), y.clone()  # validation set of the same size (content does not matter for timing)
    w1 = nn.Parameter(torch.empty(2 * ANF, H).uniform_(-1 / np.sqrt(H), 1 / np.sqrt(H)))
    w2 = nn.Parameter(torch.empty(H, C).uniform_(-1 / np.sqrt(C), 1 / np.sqrt(C)))
    signs = [torch.ones(2 * ANF, 1), torch.ones(H, 1)]
    signs[0][:ANF] = -1
    signs[1][:H // 2] = -1
    opt = torch.optim.Adam([w1, w2], lr=0.01)
    nll, logsm = nn.NLLLoss(), nn.LogSoftmax(dim=1)

    def step(i):
        xb, yb = x[i * B:(i + 1) * B], y[i * B:(i + 1) * B]
        loss = nll(logsm(torch.sum(snn(xb, w1, w2, signs), 1) * 0.01), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()

    step(0)  # warm-up
    step_ms = []
    for k in range(a.steps):
        t0 = time.perf_counter()
        step(k % TRAIN_BATCHES)
        step_ms.append(1e3 * (time.perf_counter() - t0))
    epoch_s = []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        x, y = x[perm], y[perm]
        for i in range(TRAIN_BATCHES):
            step(i)
        with torch.no_grad():
            for i in range(TRAIN_BATCHES):
                nll(logsm(torch.sum(snn(xv[i * B:(i + 1) * B], w1, w2, signs), 1) * 0.01), yv[i * B:(i + 1) * B])
        epoch_s.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"impl": "pytorch", "config": a.config, "threads": a.threads, "step_ms": step_ms, "epoch_s": epoch_s, "peak_rss_mb": rss}))


if __name__ == "__main__":
    main()
