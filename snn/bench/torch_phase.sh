#!/usr/bin/env bash
# torch_phase.sh: the phase probe on the seed notebook's own code in PyTorch (torch_phase.py), seeds 1-10
# (study.TorchPhaseSeeds; 1-5 train the fidelity table's networks again), for the controls notebook's section 7.
# Writes notebooks/results/phase-torch/torch_s<seed>.json (committed: this runs once, about 25 min on 2 cores).
# PyTorch as compare.sh's fastest configuration runs it (torch_env.sh), two processes at a time.
#
# Usage: snn/bench/torch_phase.sh [OUT]   (from the repository root)
set -euo pipefail
out="${1:-notebooks/results/phase-torch}"
source "$(dirname "$0")/torch_env.sh"
torch_run snn/bench/torch_phase.py --seeds 1,3,5,7,9 --out "$out" &
a=$!
torch_run snn/bench/torch_phase.py --seeds 2,4,6,8,10 --out "$out" &
b=$!
wait "$a" && wait "$b"
echo "torch_phase: wrote $out/torch_s{1..10}.json"
