#!/usr/bin/env bash
# fidelity.sh: the seed notebook's protocol in PyTorch (torch_fidelity.py) over seeds 1-5, for the mirror
# notebook's fidelity table. Writes notebooks/results/fidelity/torch_s<seed>.json (committed: this runs once,
# about 20 min on 2 cores). PyTorch as compare.sh's fastest configuration runs it (Debian's python3-torch,
# OpenBLAS, jemalloc, 1 thread per process), two processes at a time.
#
# Usage: snn/bench/fidelity.sh [OUT]   (from the repository root)
set -euo pipefail
out="${1:-notebooks/results/fidelity}"
lib=/usr/lib/x86_64-linux-gnu
need=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
[ -e "$lib/openblas-pthread/libblas.so.3" ] || need+=(libopenblas0-pthread)
[ -e "$lib/libjemalloc.so.2" ] || need+=(libjemalloc2)
if ((${#need[@]})); then
  echo "fidelity: installing ${need[*]} (apt)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
run() {
  env LD_LIBRARY_PATH="$lib/openblas-pthread" LD_PRELOAD="$lib/libjemalloc.so.2" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 snn/bench/torch_fidelity.py --threads 1 --seeds "$1" --out "$out"
}
run 1,3,5 &
a=$!
run 2,4 &
b=$!
wait "$a" && wait "$b"
echo "fidelity: wrote $out/torch_s{1..5}.json"
