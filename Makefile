# The README's commands. `make test` is what CI runs (.ci/run).
#
# GoMLX v0.28.14 needs Go 1.27. go.mod names the toolchain; with GOTOOLCHAIN set to it the go command
# fetches that toolchain from the module proxy once (about 10 s) when the installed Go is older, as on
# machines that set GOTOOLCHAIN=local. Every go command below, and the GoNB kernel, inherit it.
export GOTOOLCHAIN := $(shell sed -n 's/^toolchain //p' go.mod)
# Go 1.27's vector intrinsics (simd/archsimd): the project's AVX-512/AVX2 kernels and GoMLX's vector
# kernels. Without it everything still builds and runs, on scalar loops (and with GoMLX's scalar numerics,
# so cached runs of one build count as stale in the other: snn.NumericsVersion).
export GOEXPERIMENT ?= simd
GO ?= go
GOBIN := $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)
export PATH := $(GOBIN):$(PATH)

.PHONY: setup vet test notebooks panel protocol bench results

# Jupyter (Debian), GoNB and goimports (pinned), the gonb kernel. Idempotent.
setup:
	notebooks/setup.sh

# The module also vets for linux/arm64 (no amd64 kernels, no CUDA installer there), so that a build on
# another architecture, e.g. Apple silicon or Graviton, stays possible.
vet:
	$(GO) vet ./...
	$(GO) vet -tags xla ./snn/...
	GOEXPERIMENT= $(GO) vet ./snn/...
	GOOS=linux GOARCH=arm64 $(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }

# All tests, including executing every notebook with the real GoNB kernel in quick mode; then the model
# package again without GOEXPERIMENT=simd, so that the scalar fallback kernels stay tested, and the kernel
# comparison with GOAMD64=v3, where the compiler may fuse multiply-adds in the scalar loops (v3Tests: the one
# list the command both prints and runs).
v3Tests := KernelSets|KernelsStay|Exp64|Sigmoid64|SurrogatesFloat32|SumRowsOf32x32|SpikeThreshold|StimulusGolden|LIFInhInhibitionBits|SplitJoinColumns|Transpose16|PCGStateMatchesRand

test: setup vet
	CI=$${CI:-1} $(GO) test -timeout 30m ./...
	GOEXPERIMENT= $(GO) test -timeout 10m ./snn/
	@if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then \
	  echo "GOAMD64=v3 $(GO) test -run '$(v3Tests)' ./snn/"; GOAMD64=v3 $(GO) test -run '$(v3Tests)' ./snn/; \
	else echo "make test: this CPU cannot run GOAMD64=v3 code: the kernel comparison at v3 is not run"; fi

# The main job: execute every notebook headlessly (full protocol), write the executed .ipynb and HTML
# beside each, then every figure of the 0.2 model as SVG and PNG in notebooks/figures.
notebooks: setup
	/usr/bin/python3 notebooks/execute.py notebooks/*.ipynb
	$(GO) run ./plots/cmd/figures -dir "$$(cd notebooks && realpath -m "$${SNN_OUT:-out}")" -fraction 0.2 -out notebooks/figures

# The exploration panel, live: Jupyter's classic notebook with the GoNB kernel on localhost (PORT, default
# 8888); open the printed URL, then dales_law_explore.ipynb, and run its cells. It serves a working copy
# in notebooks/out/panel (Jupyter saves what it opens, and the committed notebook stays as it is), made
# again when the committed notebook's cells (their sources, not their outputs) changed since the copy was made
# (after a pull; the old copy is kept, with the time in its name), which reads
# the committed caches in notebooks/results and adds the runs its button trains to
# notebooks/out/panel/explore.
# CELLS_HASH prints a hash of a notebook's cell sources (outputs and execution counts left out).
CELLS_HASH = /usr/bin/python3 -c 'import hashlib, json, sys; print(hashlib.sha256(json.dumps([c["source"] for c in json.load(open(sys.argv[1]))["cells"]]).encode()).hexdigest())'

panel: setup
	mkdir -p notebooks/out/panel
	@new=$$($(CELLS_HASH) notebooks/dales_law_explore.ipynb); copy=notebooks/out/panel/dales_law_explore.ipynb; \
	if [ -e $$copy ] && [ "$$new" != "$$(cat notebooks/out/panel/.committed-cells 2>/dev/null)" ]; then \
	  old=$$copy.old-$$(date +%Y%m%d-%H%M%S); mv $$copy $$old; \
	  echo "note: the committed notebook's cells changed since the panel's copy was made: copied again (the old copy is $$old)"; fi; \
	if [ ! -e $$copy ]; then cp notebooks/dales_law_explore.ipynb $$copy && echo "$$new" > notebooks/out/panel/.committed-cells; fi
	ln -sfn ../../results notebooks/out/panel/results
	cd notebooks/out/panel && SNN_MODULE=$(CURDIR) SNN_PANEL_OUT=. /usr/bin/jupyter notebook --no-browser --ip=127.0.0.1 \
	  --port=$${PORT:-8888} $(if $(filter 0,$(shell id -u)),--allow-root)

# The notebook's whole protocol without Jupyter (fractions 0.5 then 0.2, 50 epochs, ablation), 3 seeds.
protocol:
	$(GO) run ./snn/cmd/dales -seeds 1,2,3 -out out/checkpoints

# Benchmarks at the notebook's sizes; snn/bench/scaling.sh times BenchmarkScaling's sizes, and
# snn/bench/compare.sh compares with PyTorch.
bench:
	$(GO) test -run '^$$' -bench 'TrainStep|Epoch|Stimulus|Projection|LIFKernel' -benchtime 20x ./snn/

# Every run the notebooks read (their run plans, study.Plans: sweep -plan mirror, controls or populations;
# then the tuned plans, study.TunedPlans: tuning, test seeds and their comparisons; then the Fashion-MNIST
# rate networks, ratenet.Plans), each cached in notebooks/results/ so that an interrupted run resumes. A run
# another plan's cache already holds (same configuration, fraction, seed and numerics) is copied from it,
# not trained again, where the copy has the metrics the sweep needs (study.SharedCaches; sweep -copy=false
# trains every run): 149 of the 1,361 cached runs of 2026-12-04 (306 of the 2,007 on 2026-12-05); where it lacks them, the run is rebuilt from the model
# the other plan left in notebooks/results/.models (not committed) and scored with this plan's metrics: 85
# more. Runs of one seed share their data sets (snn.DataCache).
# From scratch on 2 cores 1 h 39 min and 1 h 38 min (measured 2026-12-03 twice), 1 h 27 min with the reworked
# avx512 kernels and 1 h 25 min with e66d5eb (2026-12-04), 1 h 36 min for 1,414 runs with b5ef716 (the same day,
# the VM slower); every run equal to the committed one each time (README, Studies). The 2,307 the notebooks read
# since the end of 2026-12-05 took 2 h 33 min 38 s with 5700589 (2026-12-06, the Intel Xeon VM), every entry
# equal but time and source.
# Nothing is trained with the committed cache. Runs another backend or build cached are used as they are;
# add RECOMPUTE=1 to retrain them. Runs missing from a cache that holds another build's are refused before any
# work (the cache would mix two builds' numbers); MIX=1 adds them. It runs setup first, which installs Debian's
# dataset-fashion-mnist: on a fresh machine without it the rate plan, the last command, stopped 89 minutes in (2026-12-03).
# WORKERS (default 2, this project's machines' cores) runs trained at once; WORKERS=0 takes one per core.
WORKERS ?= 2
results: setup
	$(GO) run ./snn/cmd/sweep -workers $(WORKERS) -plan all -results notebooks/results $(if $(filter 1,$(RECOMPUTE)),-recompute) $(if $(filter 1,$(MIX)),-mix-numerics)
	$(GO) run ./snn/cmd/sweep tune -workers $(WORKERS) -plan all -test -results notebooks/results $(if $(filter 1,$(RECOMPUTE)),-recompute) $(if $(filter 1,$(MIX)),-mix-numerics)
	$(GO) run ./snn/cmd/sweep rate -workers $(WORKERS) -plan fmnist -results notebooks/results $(if $(filter 1,$(RECOMPUTE)),-recompute) $(if $(filter 1,$(MIX)),-mix-numerics)
