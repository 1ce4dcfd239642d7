# muster: build, run and test. Needs only Go; PostgreSQL and Chromium tests
# run when those are installed (see .ci/run, which installs them).
# The approved toolchain: go.mod needs it and a new machine starts on an older Go.
export GOTOOLCHAIN := go1.27.3
GO        ?= go
BIN       := bin/muster
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test bench lint docker clean

## run: build and serve on the embedded SQLite database with demo data
run: build
	MUSTER_BASE_URL=$${MUSTER_BASE_URL:-http://localhost:8080} ./$(BIN) serve --demo

## build: compile the static muster binary
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/muster

## test: the whole suite, on SQLite and (when reachable) PostgreSQL and Chromium
test:
	@$(GO) run ./internal/db/dbtest/probe
	$(GO) test -count=1 -timeout 20m ./...

## bench: benchmarks with their figures
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## lint: formatting, vet and staticcheck
lint:
	@out=$$(gofmt -l cmd internal migrations static templates); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## docker: build the container image
docker:
	docker build -t muster:$(VERSION) .

clean:
	rm -rf bin
