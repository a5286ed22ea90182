# briefbot: `make run` starts the bot, `make test` runs every check.
GO       ?= go
TAGS     := sqlite_fts5
BIN      := bin/briefbot
export CGO_ENABLED := 1

# staticcheck is run through `go run` at a pinned version, so a fresh clone
# needs nothing installed by hand.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help run build test chromium screenshots vet fmt-check staticcheck tidy-check eval eval-extract bench bench-e2e bench-import bench-serve bench-coldstart soak clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## start the bot: the console with the sample library, or Discord when DISCORD_TOKEN is set
	./$(BIN)

build: ## build bin/briefbot
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/briefbot

test: chromium fmt-check tidy-check vet staticcheck ## run gofmt, go mod tidy, go vet, staticcheck and every test (on SQLite and on a throwaway PostgreSQL; the reading room in Chromium)
	.ci/postgres.sh $(GO) test -tags $(TAGS) -count=1 -timeout 30m ./...

# The reading room's browser tests drive Debian's Chromium (they fail
# without it when CI=true). Installing it needs root, or sudo.
chromium: ## install Chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	elif command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "Chromium is missing and cannot be installed without root: the browser tests skip (and fail when CI=true)"; \
	fi

screenshots: chromium ## redraw docs/screenshots: each reading room page kind in Chromium
	BRIEFBOT_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS) -count=1 -run '^TestBrowser_EveryPageKind$$' ./bot/web

vet: ## go vet with the build tags
	$(GO) vet -tags $(TAGS) ./...

staticcheck: ## staticcheck (pinned version, fetched through the module proxy)
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...

tidy-check: ## fail when go mod tidy would change go.mod or go.sum
	$(GO) mod tidy -diff

fmt-check: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

eval: ## score /ask on its evaluation set: expected fact anywhere, first, and refusals (EVAL.md)
	@out=$$($(GO) test -tags $(TAGS) -count=1 -run '^TestAskEval$$' -v ./briefings/answer 2>&1); status=$$?; \
	echo "$$out" | sed -n '/ask evaluation/,/TOTAL/p' | sed 's/^        //'; echo "$$out" | grep -E '^(--- FAIL|FAIL|ok)' ; exit $$status

eval-extract: ## score the deterministic extractor on the evaluation set (EVAL.md)
	@out=$$($(GO) test -tags $(TAGS) -count=1 -run '^TestExtractEval$$' -v ./briefings 2>&1); status=$$?; \
	echo "$$out" | sed -n '/extraction evaluation/,/TOTAL/p'; echo "$$out" | grep -E '^(--- FAIL|FAIL|ok)' ; exit $$status

bench: ## run the Go benchmarks
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

bench-e2e: ## latency of every handler against its SQLite floor at 1k, 10k and 100k briefings (see BENCHMARKS.md)
	$(GO) run -tags $(TAGS) ./bench -n 1000,10000,100000

IMPORT_N ?= 10000 100000
IMPORT_RUNS ?= 3
IMPORT_DIR ?= $${TMPDIR:-/tmp}/briefbot-bench
bench-import: build ## time `briefbot import` as a process on generated YAML and JSON files (IMPORT_N, IMPORT_RUNS; see BENCHMARKS.md)
	$(GO) build -o bin/genfile ./bench/genfile
	mkdir -p $(IMPORT_DIR)
	for n in $(IMPORT_N); do for f in yaml json; do \
		file=$(IMPORT_DIR)/import-$$n.$$f; \
		./bin/genfile -n $$n -format $$f -o $$file || exit 1; \
		bench/importtime/run.sh ./$(BIN) $(IMPORT_RUNS) $$f-$$n $$file || exit 1; \
	done; done

SERVE_N ?= 100000
SERVE_C ?= 8,32,128
SERVE_D ?= 20s
bench-serve: build ## start `briefbot serve` on loopback and replay signed interactions at SERVE_C concurrencies (see BENCHMARKS.md)
	$(GO) run -tags $(TAGS) ./bench/load -bin $(BIN) -n $(SERVE_N) -c $(SERVE_C) -d $(SERVE_D)

COLDSTART_RUNS ?= 7
bench-coldstart: build ## time `briefbot serve` from exec to its first answer on the SERVE_N library, COLDSTART_RUNS starts per first interaction (see bench/RESULTS-2026-12-03.md)
	$(GO) run -tags $(TAGS) ./bench/load -bin $(BIN) -n $(SERVE_N) -coldstart $(COLDSTART_RUNS)

soak: ## 30 minutes of mixed traffic with faults through the fake Discord (BRIEFBOT_SOAK=2m for less)
	BRIEFBOT_SOAK=$${BRIEFBOT_SOAK:-30m} $(GO) test -tags "$(TAGS) soak" -run '^TestSoak$$' -timeout 0 -count=1 -v ./bot/

clean: ## remove build output
	rm -rf bin
