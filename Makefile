# The README's commands. `make test` is what CI runs (.ci/run).
GO ?= go

.PHONY: test vet protocol bench

vet:
	$(GO) vet ./...
	$(GO) vet -tags xla ./snn/...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }

test: vet
	$(GO) test ./...

# The notebook's whole protocol without Jupyter (fractions 0.5 then 0.2, 50 epochs, ablation).
protocol:
	$(GO) run ./snn/cmd/dales -seeds 1,2,3 -out out/checkpoints

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./snn/
