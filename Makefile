# spysql: `make demo` runs the main job on embedded defaults, `make test`
# runs every test. See README.md.
GO       ?= go
BIN      := bin/spysql
LAKE     ?= ./data/lake
PKGS     := ./...
# Packages with goroutines, locks or shared state: their tests run once,
# under the race detector; every other package runs once without it.
RACE_PKGS := ./wire/... ./engine/point/... ./engine/watch/... ./engine/session/... ./sqlfeatures/... ./stream/...
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build test test-deps vet staticcheck fmt-check demo bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/spysql

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# PostgreSQL 15 and the Postgres clients of the wire client matrix
# (wire/clients), installed when missing.
test-deps:
	./scripts/test-deps.sh

# Every test, with real DuckDB, nats-server, PostgreSQL and clients;
# staticcheck; the race detector on RACE_PKGS.
test: fmt-check vet staticcheck test-deps
	$(GO) test -count=1 -timeout 25m $$($(GO) list $(PKGS) | grep -vxF "$$($(GO) list $(RACE_PKGS))")
	$(GO) test -race -count=1 -timeout 25m $(RACE_PKGS)

# Synthetic lake -> Silver build -> serve (DEMO_SERVE=0 stops before serving).
demo: build
	BIN=$(BIN) LAKE=$(LAKE) ./scripts/demo.sh

# Benchmarks; figures go to docs/BENCHMARKS.md with the command that made them.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m $(PKGS)

# A short run of every fuzz target (FUZZTIME per target).
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin data
