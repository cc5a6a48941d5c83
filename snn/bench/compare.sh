#!/usr/bin/env bash
# Speed comparison with the notebook's PyTorch code, side by side in one run on this machine.
#
# PyTorch is measured as an expert would run it, and as it comes:
#   default   Debian's python3-torch as installed: the reference BLAS, glibc malloc's defaults
#   openblas  OpenBLAS (libopenblas0-pthread) instead of the reference BLAS
#   tuned     OpenBLAS, and glibc malloc told to keep its memory (MALLOC_MMAP_THRESHOLD_ and
#             MALLOC_TRIM_THRESHOLD_ at 1e9: no page faults on every large temporary)
#   jemalloc  OpenBLAS and jemalloc (libjemalloc2, LD_PRELOAD)
# each at 1 and 2 threads (torch.set_num_threads, OMP_NUM_THREADS and OPENBLAS_NUM_THREADS alike).
# The Go implementation runs at GOMAXPROCS 1 and 2 twice: snn/cmd/benchstep (STEPS steps through Train on
# the training set's first batches, and EPOCHS epochs of the protocol, default pure-Go backend) and the
# package's BenchmarkTrainStep (BENCH_STEPS steps on one batch, the benchmark the performance targets name).
# Configurations alternate within each of ROUNDS rounds, so that a slow spell of the machine hits all.
# The baselines are the fastest PyTorch configuration by median step time and, separately, by median
# epoch time, over all thread counts; the ratios are baseline time / Go time, printed against that
# baseline and against the fastest PyTorch at Go's own thread count. Missing Debian packages (python3-torch, libblas3, libopenblas0-pthread, libjemalloc2) are
# installed; each configuration picks its BLAS by LD_LIBRARY_PATH, whatever update-alternatives says.
#
#   snn/bench/compare.sh                 # ROUNDS=3 STEPS=30 EPOCHS=1 THREADS="1 2" BENCH_STEPS=300
#   ROUNDS=1 THREADS=1 snn/bench/compare.sh
#   snn/bench/compare.sh --summarise RAW  # re-print the table of a run's raw measurements (JSON lines)
set -euo pipefail
if [ "${1:-}" = --summarise ]; then # the file as named from the caller's folder, before the cd below
  if [ $# -ne 2 ]; then
    echo "compare: --summarise takes one file of raw measurements (JSON lines, as a run of this script writes), got $(($# - 1)) arguments" >&2
    exit 1
  fi
  if [ ! -f "$2" ]; then
    echo "compare: --summarise $2: no such file (want the raw measurements a run of this script wrote, JSON lines)" >&2
    exit 1
  fi
  raw="$(realpath -- "$2")"
fi
cd "$(dirname "$0")/../.."
export GOTOOLCHAIN="$(sed -n 's/^toolchain //p' go.mod)" # Go 1.27, fetched from the module proxy once
export GOEXPERIMENT="${GOEXPERIMENT-simd}" # vector kernels (GOEXPERIMENT= for the scalar build)
rounds="${ROUNDS:-3}" steps="${STEPS:-30}" epochs="${EPOCHS:-1}" threads="${THREADS:-1 2}" benchsteps="${BENCH_STEPS:-300}"
lib=/usr/lib/x86_64-linux-gnu
if [ "${1:-}" = --summarise ]; then # re-print the table of an earlier run's raw measurements (python3 only)
  out="$raw"
else
  need=()
  /usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
  [ -e "$lib/openblas-pthread/libblas.so.3" ] || need+=(libopenblas0-pthread)
  [ -e "$lib/libjemalloc.so.2" ] || need+=(libjemalloc2)
  [ -e "$lib/blas/libblas.so.3" ] || need+=(libblas3) # the reference BLAS, what python3-torch gets by default
  if ((${#need[@]})); then
    echo "compare: installing ${need[*]} (apt)" >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  [ -e "$lib/blas/libblas.so.3" ] || { echo "compare: the reference BLAS ($lib/blas/libblas.so.3) is missing" >&2; exit 1; }
  bin="$(mktemp -d)/benchstep"
  go build -o "$bin" ./snn/cmd/benchstep
  testbin="$(dirname "$bin")/snn.test"
  go test -c -o "$testbin" ./snn
  out="$(mktemp)"
  big=1000000000
  torch() { # torch CONFIG THREADS
    local cfg=$1 n=$2 blas="$lib/openblas-pthread" pre="" env=()
    case "$cfg" in
      default) blas="$lib/blas" ;;
      tuned) env=(MALLOC_MMAP_THRESHOLD_=$big MALLOC_TRIM_THRESHOLD_=$big) ;;
      jemalloc) pre="$lib/libjemalloc.so.2" ;;
    esac
    env "${env[@]}" LD_LIBRARY_PATH="$blas" LD_PRELOAD="$pre" OMP_NUM_THREADS="$n" OPENBLAS_NUM_THREADS="$n" \
      /usr/bin/python3 snn/bench/torch_notebook.py --threads "$n" --steps "$steps" --epochs "$epochs" --config "$cfg"
  }
  for r in $(seq "$rounds"); do
    for n in $threads; do
      echo "compare: round $r/$rounds, $n thread(s)" >&2
      for cfg in default openblas tuned jemalloc; do torch "$cfg" "$n" >>"$out"; done
      "$bin" -threads "$n" -steps "$steps" -epochs "$epochs" >>"$out"
      # BenchmarkTrainStep: one line "BenchmarkTrainStep[-N]  <iterations>  <ns> ns/op"
      "$testbin" -test.run '^$' -test.bench '^BenchmarkTrainStep$' -test.benchtime "${benchsteps}x" -test.cpu "$n" |
        awk -v n="$n" '$1 ~ /^BenchmarkTrainStep(-[0-9]+)?$/ && $4 == "ns/op" {
          printf "{\"impl\": \"go BenchmarkTrainStep\", \"threads\": %d, \"step_ms\": [%.4f], \"epoch_s\": [], \"peak_rss_mb\": 0}\n", n, $3 / 1e6; found = 1 }
          END { if (!found) { print "compare: no BenchmarkTrainStep line" > "/dev/stderr"; exit 1 } }' >>"$out"
    done
  done
  echo "compare: raw measurements in $out (snn/bench/compare.sh --summarise $out re-prints the table)" >&2
fi
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
res = {}
for r in rows:
    key = (r["impl"] if r["impl"].startswith("go") else "pytorch " + r.get("config", "?"), r["threads"])
    e = res.setdefault(key, {"step": [], "epoch": [], "rss": 0, "in_epoch": []})
    e["step"] += r["step_ms"]; e["epoch"] += r.get("epoch_s") or []; e["rss"] = max(e["rss"], r["peak_rss_mb"])
    e["in_epoch"] += r.get("epoch_step_ms") or []
for e in res.values():
    e["step"] = statistics.median(e["step"])
    e["epoch"] = statistics.median(e["epoch"]) if e["epoch"] else None
torch = {k: v for k, v in res.items() if not k[0].startswith("go")}
best = {m: min((k for k in torch if torch[k][m] is not None), key=lambda k: torch[k][m], default=None)
        for m in ("step", "epoch")}
print(f"{'implementation':22} {'threads':>7} {'ms/step':>9} {'s/epoch':>9} {'peak RSS MB':>12}")
def num(x, f):
    return format(x, f) if x else "-"
for k in sorted(res, key=lambda k: (k[0].startswith("go"), k[0], k[1])):
    v = res[k]
    mark = ", ".join(f"fastest PyTorch {m}" for m in ("step", "epoch") if best[m] == k)
    print(f"{k[0]:22} {k[1]:7d} {v['step']:9.2f} {num(v['epoch'], '9.2f'):>9} {num(v['rss'], '12.0f'):>12}" + (f"  <- {mark}" if mark else ""))
print()
for m, unit, fmt in (("step", "ms/step", "{:.1f}"), ("epoch", "s/epoch", "{:.2f}")):
    b = best[m]
    if b is None:
        continue
    print(f"baseline per {m}: {b[0]}, {b[1]} thread(s), " + fmt.format(torch[b][m]) + f" {unit}")
for k in sorted(k for k in res if k[0].startswith("go")):
    v = res[k]
    same = [t for t in torch if t[1] == k[1]]
    line = f"{k[0]}, {k[1]} thread(s): {torch[best['step']]['step'] / v['step']:.2f}x faster per step"
    if v["epoch"] and best["epoch"]:
        line += f", {torch[best['epoch']]['epoch'] / v['epoch']:.2f}x per epoch"
    line += " than the fastest PyTorch"
    if same and min(same, key=lambda t: torch[t]["step"]) != best["step"]:
        s = min(same, key=lambda t: torch[t]["step"])
        line += f" ({torch[s]['step'] / v['step']:.2f}x per step against the fastest at {k[1]} thread(s), {s[0]})"
    print(line)
d = [k for k in torch if k[0] == "pytorch default"]
if d:
    dk = min(d, key=lambda k: torch[k]["step"])
    g = min((k for k in res if k[0] == "go"), key=lambda k: res[k]["step"])  # benchstep's step
    print(f"(against PyTorch as installed, {dk[1]} thread(s): {torch[dk]['step'] / res[g]['step']:.1f}x per step)")
paths = sorted({(r.get("kernels", "?"), r.get("numerics", "?")) for r in rows if r["impl"] == "go"})
for k in sorted(k for k in res if res[k]["in_epoch"]):
    print(f"{k[0]}, {k[1]} thread(s): median step inside the timed epochs {statistics.median(res[k]['in_epoch']):.2f} ms")
print("go: benchstep times steps through Train on the training set's first batches and whole epochs (64 steps "
      "and the validation pass), at the commands' GOGC; BenchmarkTrainStep times steps on one batch, at Go's default "
      "GOGC=100, one mean (ns/op) per round")
print("go: kernel set " + ", ".join(f"{k} (numerics {n})" for k, n in paths))
print("medians over rounds and steps (BenchmarkTrainStep: over the rounds' means), all measured in one run of this "
      "script on this machine")
PY
