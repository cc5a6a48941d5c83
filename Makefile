# The README's commands. `make test` is what CI runs (.ci/run).
GO ?= go
GOBIN := $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)
export PATH := $(GOBIN):$(PATH)

.PHONY: setup vet test notebooks protocol bench

# Jupyter (Debian), GoNB and goimports (pinned), the gonb kernel. Idempotent.
setup:
	notebooks/setup.sh

vet:
	$(GO) vet ./...
	$(GO) vet -tags xla ./snn/...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }

# All tests, including executing every notebook with the real GoNB kernel in quick mode.
test: setup vet
	CI=$${CI:-1} $(GO) test -timeout 30m ./...

# The main job: execute every notebook headlessly (full protocol), write the executed .ipynb and HTML
# beside each, then every figure of the 0.2 model as SVG and PNG in notebooks/figures.
notebooks: setup
	/usr/bin/python3 notebooks/execute.py notebooks/*.ipynb
	$(GO) run ./plots/cmd/figures -ckpt notebooks/out/dales_0.2.ckpt -out notebooks/figures

# The notebook's whole protocol without Jupyter (fractions 0.5 then 0.2, 50 epochs, ablation), 3 seeds.
protocol:
	$(GO) run ./snn/cmd/dales -seeds 1,2,3 -out out/checkpoints

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./snn/
