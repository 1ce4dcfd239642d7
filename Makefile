# muster: build, run and test. Needs only Go; PostgreSQL and Chromium tests
# run when those are installed (see .ci/run, which installs them).
# The approved toolchain: go.mod needs it and a new machine starts on an older Go.
export GOTOOLCHAIN := go1.27.3
GO        ?= go
BIN       := bin/muster
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
# The vulnerability database govulncheck reads, built offline from this pinned
# version of the golang.org/x/vulndb module (its OSV reports and cmd/indexdb).
# Refresh: see "Vulnerability scan" in the README.
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB        := .cache/vulndb/$(VULNDB_VERSION)

.PHONY: run build test bench lint vulncheck docker clean

## run: build and serve on the embedded SQLite database with demo data
run: build
	MUSTER_BASE_URL=$${MUSTER_BASE_URL:-http://localhost:8080} ./$(BIN) serve --demo

## build: compile the static muster binary
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/muster

VCVERIFY  := internal/certify/testdata/vcverify

## test: the whole suite, on SQLite and (when reachable) PostgreSQL, Chromium and Node
test:
	@$(GO) run ./internal/db/dbtest/probe
	@if command -v npm >/dev/null 2>&1 && [ ! -d $(VCVERIFY)/node_modules ]; then npm ci --prefix $(VCVERIFY) --no-audit --no-fund; fi
	$(GO) test -count=1 -timeout 30m ./...

## bench: real muster processes on a database of their own in the local PostgreSQL, driven over HTTP
## next to a bare pgx handler (BENCHFLAGS: -courses, -conns, -duration, -storms, -postgres), then the in-process benchmarks
bench:
	$(GO) run ./cmd/muster-bench $(BENCHFLAGS)
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## lint: formatting, vet, staticcheck and the vulnerability scan
lint: vulncheck
	@out=$$(gofmt -l cmd internal migrations static templates); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## vulncheck: govulncheck, offline, fails on a vulnerability the code reaches
vulncheck: $(VULNDB)/index/db.json
	$(GO) run $(GOVULNCHECK) -db file://$(CURDIR)/$(VULNDB) ./...

# Built once per pinned version into a temporary folder, moved into place whole.
$(VULNDB)/index/db.json:
	@src=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	  test -d "$$src/data/osv" || { echo "golang.org/x/vulndb@$(VULNDB_VERSION) has no data/osv"; exit 1; }; \
	  rm -rf $(VULNDB).tmp && mkdir -p $(dir $(VULNDB)) && \
	  $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -vulns "$$src/data/osv" -out $(VULNDB).tmp && \
	  rm -rf $(VULNDB) && mv $(VULNDB).tmp $(VULNDB)

## docker: build the container image
docker:
	docker build -t muster:$(VERSION) .

clean:
	rm -rf bin
