#!/usr/bin/python3
"""The phase probe on the seed notebook's own code in PyTorch: does the original's network, trained as the
notebook trains it, score higher at its training set's phase offset than at others?

For each seed and fraction (0.5, then 0.2) this trains exactly the networks of torch_fidelity.py (the same
draws in the same order, so seeds 1-5 give the fidelity table's networks: their train and test accuracies equal
its records), recording the phase offsets the notebook's input_signal draws for the training, validation and
test sets (its first scalar draw per call). Each trained network is then scored on 2,048 fresh samples (the
test set's size) at its training set's offset u and at u + k/12 cycles, k = 1..11, and at its test set's
offset: the same IPDs and spike uniforms at every offset and for both fractions, drawn from generators of
their own (numpy default_rng((seed, 1)) for the IPDs, default_rng((seed, 2)) for the uniforms, re-created for
each offset), so the draws of training are untouched and the 13 sets differ only in the phase. input_signal_at
is input_signal with the offset given instead of drawn (checked against it at start).

Writes one JSON file per seed into --out (torch_s<seed>.json, atomically): per fraction the train and test
accuracies, the offsets, phase_acc_KK (KK = 00..11, at u + KK/12), phase_test_shift (test offset minus training
offset, in cycles in [0, 1)) and phase_acc_test. The controls notebook reads them through study.TorchPhaseRuns.

Usage: torch_phase.py --seeds 1,2,3 --threads 1 --out notebooks/results/phase-torch
"""
import argparse, json, os, sys, time
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_fidelity as tf  # noqa: E402
from torch_notebook import input_signal, ANF, B, DT, STEPS  # noqa: E402

SHIFTS, PROBE_SAMPLES = 12, B * tf.TEST_BATCHES


class RecordingRNG:
    """A numpy Generator that records its scalar random() draws: input_signal's phase offsets."""

    def __init__(self, rng):
        self.rng, self.offsets = rng, []

    def random(self, size=None):
        v = self.rng.random(size)
        if size is None:
            self.offsets.append(float(v))
        return v


def input_signal_at(ipd, u, rng):
    """input_signal with its phase offset u (cycles) given rather than drawn; the uniforms from rng."""
    times = np.arange(STEPS) * DT
    phi = 2 * np.pi * (20 * times + u)
    theta = np.zeros((len(ipd), STEPS, 2 * ANF))
    delays = np.linspace(0, np.pi / 2, ANF)
    theta[:, :, :ANF] = phi[None, :, None] + delays[None, None, :]
    theta[:, :, ANF:] = phi[None, :, None] + delays[None, None, :] + ipd[:, None, None]
    return rng.random((len(ipd), STEPS, 2 * ANF)) < 600 * DT * (0.5 * (1 + np.sin(theta))) ** 2


def check_input_signal_at():
    """input_signal_at at the offset input_signal drew gives input_signal's spikes, bit for bit."""
    ipd = np.linspace(-1.5, 1.5, 4)
    a, b = np.random.default_rng(99), np.random.default_rng(99)
    want = input_signal(ipd, a)
    got = input_signal_at(ipd, b.random(), b)
    if not np.array_equal(want, got):
        sys.exit("torch_phase: input_signal_at does not reproduce input_signal")


def probe(seed, u_train, u_test, w1, w2, signs):
    """Accuracy on the probe's samples at u_train + k/12 (k = 0..11) and at u_test."""
    ipd = np.random.default_rng((seed, 1)).random(PROBE_SAMPLES) * np.pi - np.pi / 2
    ipds = torch.tensor(ipd, dtype=torch.float)

    def score(u):
        spikes = torch.tensor(input_signal_at(ipd, u, np.random.default_rng((seed, 2))), dtype=torch.float)
        return tf.accuracy(ipds, spikes, w1, w2, signs)[0]

    out = {f"phase_acc_{k:02d}": score((u_train + k / SHIFTS) % 1.0) for k in range(SHIFTS)}
    out["phase_acc_test"] = score(u_test)
    d = (u_test - u_train) % 1.0
    out["phase_test_shift"] = 0.0 if d >= 1 else d
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=tf.N_EPOCHS, help="the notebook's 50; fewer only to try the script")
    a = ap.parse_args()
    try:
        seeds = [int(s) for s in a.seeds.split(",")]
    except ValueError:
        sys.exit(f"torch_phase: --seeds {a.seeds!r}: want comma-separated whole numbers, e.g. 1,2,3")
    if a.epochs < 1 or a.threads < 1:
        sys.exit(f"torch_phase: --epochs {a.epochs} and --threads {a.threads}: want at least 1 each")
    tf.N_EPOCHS = a.epochs
    torch.set_num_threads(a.threads)
    check_input_signal_at()
    os.makedirs(a.out, exist_ok=True)
    for seed in seeds:
        torch.manual_seed(seed)
        rng = RecordingRNG(np.random.default_rng(seed))
        rec = {"seed": seed, "epochs": tf.N_EPOCHS, "samples": PROBE_SAMPLES,
               "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
               "torch": torch.__version__, "numpy": np.__version__, "threads": a.threads}
        for ratio in (0.5, 0.2):  # torch_fidelity's order: the 0.2 network draws after the 0.5 one
            rng.offsets = []
            t0 = time.perf_counter()
            out, (w1, w2, signs, _, _), rng = tf.one_fraction(ratio, rng)
            u_train, _, u_test = rng.offsets  # training, validation and test sets, in one_fraction's order
            state = torch.get_rng_state()  # the probe's batches draw permutations: training's draws stay as they were
            out.update(train_offset=u_train, test_offset=u_test, **probe(seed, u_train, u_test, w1, w2, signs))
            torch.set_rng_state(state)
            out["seconds"] = time.perf_counter() - t0
            rec[str(ratio)] = out
        tf.write_record(os.path.join(a.out, f"torch_s{seed}.json"), rec)
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
