#!/usr/bin/env bash
# fidelity.sh: the seed notebook's protocol in PyTorch (torch_fidelity.py) over seeds 1-5, for the mirror
# notebook's fidelity table. Writes notebooks/results/fidelity/torch_s<seed>.json (committed: this runs once,
# about 20 min on 2 cores). PyTorch as compare.sh's fastest configuration runs it (Debian's python3-torch,
# OpenBLAS, jemalloc, 1 thread per process; torch_env.sh), two processes at a time.
#
# Usage: snn/bench/fidelity.sh [OUT]   (from the repository root)
set -euo pipefail
out="${1:-notebooks/results/fidelity}"
source "$(dirname "$0")/torch_env.sh"
torch_run snn/bench/torch_fidelity.py --seeds 1,3,5 --out "$out" &
a=$!
torch_run snn/bench/torch_fidelity.py --seeds 2,4 --out "$out" &
b=$!
wait "$a" && wait "$b"
echo "fidelity: wrote $out/torch_s{1..5}.json"
