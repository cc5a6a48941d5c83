#!/usr/bin/env bash
# Checks on a machine without a Go toolchain (a lent machine with more cores), from static binaries
# built here:
#
#   snn/bench/device-check.sh build        # here: CGO_ENABLED=0 binaries into out/device (about 30 MB)
#   snn/bench/device-check.sh run OUT      # there, from the repository root: results under OUT
#   snn/bench/device-check.sh compare OUT  # here again: OUT's controls runs against the committed caches
#
# run writes, under OUT: cpu.txt (the CPU and its vector extensions); tests.txt (the kernel and thread tests
# of the model package: every kernel set the CPU has against the scalar loops, the slices' bounds, the split
# of the work); bench.txt (BenchmarkTrainStep at 1 to all cores,
# twice); alone.txt (one run of 10 epochs alone, at 1 to all cores, in milliseconds); controls.txt and
# results/ (the controls notebook's run plan from empty caches with one worker per core); compare.txt says,
# entry by entry, whether each run equals the committed one in every field but its time (the lent machine
# returns only a few files, so the comparison runs there; compare OUT repeats it here).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=out/device
# compare_runs OUT: each run under OUT/results against the committed one of the same name: equal when every
# line of the committed entry but its time is among the new one's lines (the entries hold one field per line;
# a plan's own sweep may record more fields than the committed copy, e.g. each epoch's validation accuracy;
# a list's values are compared as a set). It also counts the committed entries of the same folders that the
# run did not produce, and fails when an entry differs or none was compared.
compare_runs() {
  local same=0 differ=0 missing=0 unmade=0 f rel c d extra
  while IFS= read -r f; do
    rel="${f#"$1/results/"}"
    c="notebooks/results/$rel"
    if [ ! -e "$c" ]; then missing=$((missing + 1)); echo "not committed: $rel"; continue; fi
    extra=$(grep -v '"seconds"' "$c" | sed 's/,$//' | grep -vxFf <(sed 's/,$//' "$f") || true)
    if [ -n "$extra" ]; then
      differ=$((differ + 1)); echo "differs: $rel"
    else
      same=$((same + 1))
    fi
  done < <(find "$1/results" -name '*.json' -not -path '*/.models/*' | sort)
  for d in "$1"/results/*/; do
    d="$(basename "$d")"
    [ -d "notebooks/results/$d" ] || continue
    for c in notebooks/results/"$d"/*.json; do
      [ -e "$1/results/$d/$(basename "$c")" ] || unmade=$((unmade + 1))
    done
  done
  echo "$same runs equal to the committed ones in every field they hold but the time, $differ differ, $missing not committed"
  echo "($unmade committed entries of the same folders were not made by this run: other plans' runs, or runs it did not finish)"
  [ "$differ" = 0 ] && [ "$same" -gt 0 ]
}

case "${1:-}" in
build)
  export GOTOOLCHAIN="$(sed -n 's/^toolchain //p' go.mod)" GOEXPERIMENT="${GOEXPERIMENT-simd}" CGO_ENABLED=0
  mkdir -p "$bin"
  go test -c -ldflags=-s -o "$bin/snn.test" ./snn # no symbol table: the carried tree is limited to 64 MiB
  go build -ldflags=-s -o "$bin/sweep" ./snn/cmd/sweep
  ls -l "$bin"
  ;;
run)
  out="${2:?run OUT}"
  mkdir -p "$out"
  cores=$(nproc)
  { grep -m1 'model name' /proc/cpuinfo || true; echo "cores: $cores"
    for f in avx2 fma avx512f avx512dq avx512bw avx512vl; do grep -qw "$f" /proc/cpuinfo && echo "has $f" || echo "lacks $f"; done
  } > "$out/cpu.txt"
  (cd snn && "../$bin/snn.test" -test.v -test.count 1 \
    -test.run 'KernelSets|KernelsStay|ShuntKernel|ThreadsDoNot|RunChunks|Exp64|Sigmoid64|Surrogates|LIFSpikeRecords|SumRowsOf' \
    > "$out/tests.txt" 2>&1) && echo "tests: PASS" >> "$out/tests.txt" || echo "tests: FAIL" >> "$out/tests.txt"
  threads="" # 1, 2, 4, ... below the core count, then the core count
  for ((n = 1; n < cores; n *= 2)); do threads="$threads $n"; done
  threads=$(echo $threads $cores)
  (cd snn && "../$bin/snn.test" -test.run '^$' -test.bench 'TrainStep$' -test.benchtime 300x -test.count 2 \
    -test.cpu "$(echo $threads | tr ' ' ,)" > "$out/bench.txt" 2>&1) || true
  for n in $threads; do
    rm -rf "$out/alone"
    t0=$(date +%s%N)
    if GOMAXPROCS=$n "$bin/sweep" -conditions both -fractions 0.5 -seeds 1 -epochs 10 -workers 1 -cache "$out/alone" > "$out/alone.log" 2>&1; then
      echo "GOMAXPROCS $n: $((($(date +%s%N) - t0) / 1000000)) ms" >> "$out/alone.txt"
    else
      echo "GOMAXPROCS $n: failed (exit $?): $(tail -1 "$out/alone.log")" >> "$out/alone.txt"
    fi
  done
  rm -rf "$out/alone"
  t0=$(date +%s%N)
  "$bin/sweep" -plan controls -workers "$cores" -results "$out/results" > "$out/controls.txt" 2>&1 || echo "sweep failed: $?" >> "$out/controls.txt"
  echo "controls plan from empty caches, $cores workers: $((($(date +%s%N) - t0) / 1000000)) ms" >> "$out/controls.txt"
  rm -rf "$out/results/.models" # the models the runs left: not compared, and large
  compare_runs "$out" > "$out/compare.txt" || true
  tail -2 "$out/compare.txt"
  ;;
compare)
  compare_runs "${2:?compare OUT}"
  ;;
*)
  echo "usage: $0 build | run OUT | compare OUT" >&2
  exit 2
  ;;
esac
