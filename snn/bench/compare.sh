#!/usr/bin/env bash
# Speed comparison with the notebook's PyTorch code on this machine: installs Debian's python3-torch if
# missing, then runs the PyTorch model (bench/torch_notebook.py) and the Go implementation
# (cmd/benchstep) alternately, ROUNDS times each, with the same number of threads, and prints the median
# time per training step and per epoch of each and their ratio, and the peak RSS.
#
#   snn/bench/compare.sh            # THREADS=1 ROUNDS=3 STEPS=30 EPOCHS=1 by default
#   THREADS=2 snn/bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${THREADS:-1}" rounds="${ROUNDS:-3}" steps="${STEPS:-30}" epochs="${EPOCHS:-1}"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare: installing python3-torch (apt)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends python3-torch >/dev/null
fi
bin="$(mktemp -d)/benchstep"
go build -o "$bin" ./snn/cmd/benchstep
out="$(mktemp)"
for r in $(seq "$rounds"); do
  echo "compare: round $r/$rounds (threads $threads)" >&2
  GOMLX_BACKEND="${GOMLX_BACKEND:-}" "$bin" -threads "$threads" -steps "$steps" -epochs "$epochs" >>"$out"
  OMP_NUM_THREADS="$threads" /usr/bin/python3 snn/bench/torch_notebook.py --threads "$threads" --steps "$steps" --epochs "$epochs" >>"$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
res = {}
for impl in ("pytorch", "go"):
    rs = [r for r in rows if r["impl"] == impl]
    res[impl] = dict(step=statistics.median([x for r in rs for x in r["step_ms"]]),
                     epoch=statistics.median([x for r in rs for x in r["epoch_s"]]),
                     rss=max(r["peak_rss_mb"] for r in rs), threads=rs[0]["threads"])
print(f"{'':10} {'ms/step':>9} {'s/epoch':>9} {'peak RSS MB':>12}   (medians, {rows[0]['threads']} thread(s))")
for impl in ("pytorch", "go"):
    r = res[impl]
    print(f"{impl:10} {r['step']:9.1f} {r['epoch']:9.2f} {r['rss']:12.0f}")
print(f"speed-up   {res['pytorch']['step'] / res['go']['step']:9.2f}x {res['pytorch']['epoch'] / res['go']['epoch']:8.2f}x")
PY
