#!/usr/bin/python3
"""The seed notebook's whole protocol in PyTorch, for the mirror notebook's fidelity table: for each seed,
what one execution of the notebook prints. Per seed, in the notebook's order: Dale's law at inhibitory
fraction 0.5 (init, training and validation sets, 50 epochs of Adam at 0.01 with its validation-loss
bookkeeping and early-stopping rule, then train and test accuracy and absolute error), the same at 0.2,
then the 0.2 network with its first 0.2*200 input rows set to 0 (train and test accuracy and error).

The model and stimulus are the seed's (torch_notebook.py, which mirrors its functions: stimulus, LIF
layer with its update order, membrane-only readout, sum over time * 0.01, NLL loss); the training loop,
data generator (a fresh permutation per pass, whole batches only), accuracy and absolute error follow
the seed's train, data_generator, test_accuracy and report_accuracy. The seed draws from numpy's and
torch's global generators without a seed; here numpy draws come from default_rng(seed) and torch's
from manual_seed(seed), so each seed is one reproducible execution of the notebook.

Writes one JSON file per seed into --out (the mirror notebook reads them through study.TorchFidelity).

Usage: torch_fidelity.py --seeds 1,2,3,4,5 --threads 1 --out notebooks/results/fidelity
"""
import argparse, json, os, sys, time
import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_notebook import input_signal, snn, ANF, H, C, B  # noqa: E402

LR, N_EPOCHS, TRAIN_BATCHES, TEST_BATCHES = 0.01, 50, 64, 32


def random_ipd_input_signal(n, rng):
    ipd = rng.random(n) * np.pi - np.pi / 2
    return torch.tensor(ipd, dtype=torch.float), torch.tensor(input_signal(ipd, rng), dtype=torch.float)


def data_generator(ipds, spikes):
    perm = torch.randperm(spikes.shape[0])
    spikes, ipds = spikes[perm], ipds[perm]
    for i in range(spikes.shape[0] // B):
        yield spikes[i * B:(i + 1) * B], ipds[i * B:(i + 1) * B]


def discretise(ipds):
    return ((ipds + np.pi / 2) * C / np.pi).long()


def continuise(idx):
    return (idx + 0.5) / C * np.pi - np.pi / 2


def dales_mask(rows, cols, ratio):
    m = torch.ones(rows, cols)
    m[torch.arange(ratio * rows, dtype=int), :] = -1
    return m


def init_weights(ratio):
    """The seed's init_weight_matrices: bound 1/sqrt(fan_in) with PyTorch's fan_in of a 2-D tensor, its size(1)
    (30 for w1 [200, 30], 12 for w2 [30, 12]), as the seed computes it with nn.init._calculate_fan_in_and_fan_out."""
    w1 = nn.Parameter(torch.empty(2 * ANF, H))
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(w1)
    nn.init.uniform_(w1, -1 / np.sqrt(fan_in), 1 / np.sqrt(fan_in))
    w2 = nn.Parameter(torch.empty(H, C))
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(w2)
    nn.init.uniform_(w2, -1 / np.sqrt(fan_in), 1 / np.sqrt(fan_in))
    return w1, w2, [dales_mask(*w.shape, ratio) for w in (w1, w2)]


def train(w1, w2, signs, ipds, spikes, ipds_val, spikes_val):
    """The seed's train(): returns the signed weights after the last epoch, or the best validation epoch's
    if its early-stopping rule fires (the validation loss never below epoch 0's after epoch 10)."""
    opt = torch.optim.Adam([w1, w2], lr=LR)
    logsm, nll = nn.LogSoftmax(dim=1), nn.NLLLoss()
    val_hist, best, best_w = [], 1e10, None
    for e in range(N_EPOCHS):
        for x, y in data_generator(discretise(ipds), spikes):
            loss = nll(logsm(torch.sum(snn(x, w1, w2, signs), 1) * 0.01), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():  # the seed builds the graph here too; the numbers are the same
            vl = [nll(logsm(torch.sum(snn(x, w1, w2, signs), 1) * 0.01), y).item()
                  for x, y in data_generator(discretise(ipds_val), spikes_val)]
        val_hist.append(np.mean(vl))
        if np.mean(vl) < best:
            best = np.mean(vl)
            best_w = (torch.abs(w1) * signs[0]).detach(), (torch.abs(w2) * signs[1]).detach()
        if torch.tensor(val_hist[-100:]).argmin() == 0 and e > 10:
            return best_w[0], best_w[1], e + 1, True
    return (torch.abs(w1) * signs[0]).detach(), (torch.abs(w2) * signs[1]).detach(), N_EPOCHS, False


def accuracy(ipds, spikes, w1, w2, signs):
    """The seed's test_accuracy and report_accuracy: mean of per-batch accuracies and mean |error| in degrees."""
    accs, true, est = [], [], []
    with torch.no_grad():
        for x, y in data_generator(ipds, spikes):
            am = torch.max(torch.sum(snn(x, w1, w2, signs), 1), 1)[1]
            accs.append(np.mean((discretise(y) == am).numpy()))
            true.append(y.numpy())
            est.append(continuise(am.numpy()))
    err = np.abs(np.hstack(true) - np.hstack(est)) * 180 / np.pi
    return float(np.mean(accs)), float(np.mean(err))


def one_fraction(ratio, rng):
    w1, w2, signs = init_weights(ratio)
    ipds, spikes = random_ipd_input_signal(B * TRAIN_BATCHES, rng)
    ipds_val, spikes_val = random_ipd_input_signal(B * TRAIN_BATCHES, rng)
    t0 = time.perf_counter()
    w1t, w2t, epochs, stopped = train(w1, w2, signs, ipds, spikes, ipds_val, spikes_val)
    secs = time.perf_counter() - t0
    tr = accuracy(ipds, spikes, w1t, w2t, signs)
    ipds_test, spikes_test = random_ipd_input_signal(B * TEST_BATCHES, rng)
    te = accuracy(ipds_test, spikes_test, w1t, w2t, signs)
    out = {"train_accuracy": tr[0], "train_error_deg": tr[1], "test_accuracy": te[0], "test_error_deg": te[1],
           "epochs": epochs, "early_stop": stopped, "train_seconds": secs}
    return out, (w1t, w2t, signs, ipds, spikes), rng


def write_record(path, rec):
    """Writes rec as JSON to path atomically: to a temporary file beside it, synced, then renamed over path, so a
    killed run leaves either the earlier record or the new one, never a partial file."""
    with open(path + ".tmp", "w") as f:
        json.dump(rec, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)
    d = os.open(os.path.dirname(path) or ".", os.O_RDONLY)  # make the rename durable
    try:
        os.fsync(d)
    finally:
        os.close(d)


def main():
    global N_EPOCHS
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=N_EPOCHS, help="the notebook's 50; fewer only to try the script")
    a = ap.parse_args()
    N_EPOCHS = a.epochs
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    for seed in [int(s) for s in a.seeds.split(",")]:
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        rec = {"seed": seed, "epochs": N_EPOCHS, "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
               "torch": torch.__version__, "numpy": np.__version__, "threads": a.threads}
        rec["0.5"], _, rng = one_fraction(0.5, rng)
        rec["0.2"], (w1t, w2t, signs, ipds, spikes), rng = one_fraction(0.2, rng)
        w1a = w1t.clone()
        w1a[:int(0.2 * 2 * ANF), :] = 0  # the seed: w1_trained[i, :] *= 0 for i < IE_RATIO*200
        tr = accuracy(ipds, spikes, w1a, w2t, signs)
        ipds_test, spikes_test = random_ipd_input_signal(B * TEST_BATCHES, rng)
        te = accuracy(ipds_test, spikes_test, w1a, w2t, signs)
        rec["ablation_0.2"] = {"train_accuracy": tr[0], "train_error_deg": tr[1], "test_accuracy": te[0],
                               "test_error_deg": te[1]}
        write_record(os.path.join(a.out, f"torch_s{seed}.json"), rec)
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
