#!/usr/bin/env bash
# Cost of one training step against the network's sizes, one size at a time (the others at the
# notebook's values: 30 hidden units, 100 time steps, batch 64), for both formulations of the step:
# the Go kernels (default on the pure-Go backend) and the single GoMLX graph. Each size runs in its own
# process (snn.test -test.bench BenchmarkScaling/...), COUNT times, at GOMAXPROCS=THREADS; the table gives
# the median ms per step, its ratio to the smallest size, that ratio divided by the size ratio (1 = linear),
# and the process's peak RSS. Prints a Markdown table (the README's).
#
#   snn/bench/scaling.sh                # COUNT=3 THREADS=1 ITER=10 FORMULATIONS="go-kernels graph"
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOTOOLCHAIN="$(sed -n 's/^toolchain //p' go.mod)"
export GOEXPERIMENT="${GOEXPERIMENT-simd}" # vector kernels (GOEXPERIMENT= for the scalar build)
count="${COUNT:-3}" threads="${THREADS:-1}" iter="${ITER:-10}" forms="${FORMULATIONS:-go-kernels graph}"
bin="$(mktemp -d)/snn.test"
go test -c -o "$bin" ./snn/
echo "| formulation | size | ms/step (median of $count) | x smallest | / size ratio | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for f in $forms; do
  for dim in hidden:30,100,300 steps:100,300,1000 batch:16,64,256; do
    name="${dim%%:*}" first=""
    for v in $(echo "${dim#*:}" | tr , ' '); do
      times=()
      rss=0
      for c in $(seq "$count"); do
        log="$(mktemp)"
        /usr/bin/time -v "$bin" -test.run '^$' -test.bench "^BenchmarkScaling\$/^$f\$/^$name=$v\$" \
          -test.benchtime "${iter}x" -test.cpu "$threads" >"$log" 2>&1
        times+=("$(awk '/^BenchmarkScaling/ {print $3/1e6}' "$log")")
        r="$(awk '/Maximum resident/ {print int($6/1024)}' "$log")"
        [ "$r" -gt "$rss" ] && rss="$r"
        rm -f "$log"
      done
      med="$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
      [ -n "$first" ] || { first="$med"; firstv="$v"; }
      awk -v f="$f" -v n="$name" -v v="$v" -v m="$med" -v m0="$first" -v v0="$firstv" -v r="$rss" \
        'BEGIN {x = m / m0; printf "| %s | %s=%s | %.1f | %.2f | %.2f | %d |\n", f, n, v, m, x, x / (v / v0), r}'
    done
  done
done
echo
echo "GOMAXPROCS=$threads, $iter steps per measurement after one untimed step; $(nproc) cores; $(date -u +%F)"
