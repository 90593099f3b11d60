# The kiosk firmware. `make run` starts the demo, `make test` runs every test.
SHELL     := bash
GO        ?= go
BIN       := bin
PKGS      := ./...
# Short fuzzing inside `make test`; `make fuzz` runs the same targets longer.
# Budgets are execution counts, not durations: Go 1.26's fuzz coordinator
# can fail a duration-bounded run with a bare "context deadline exceeded"
# and no crasher (golang/go#75804, fixed in Go 1.27).
FUZZTIME_SHORT ?= 100000x
FUZZTIME  ?= 20000000x
# Each fuzz target as package:FuzzName, or package:FuzzName:count for a
# target whose executions are slow (FuzzSubmit goes through the whole
# server to SQLite) and gets a smaller budget in `make test`.
FUZZ_TARGETS := ./devices/mrz:FuzzParse ./devices/scanner:FuzzAssembler ./central:FuzzSubmit:20000x

.PHONY: all build test unit fuzz-short fuzz bench lint run central clean screens console-shots cross image image-smoke image-rollback

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/...

test: unit fuzz-short

# The PostgreSQL store tests need a server: KIOSK_TEST_POSTGRES names one, or
# scripts/ci-postgres.sh installs and starts a throwaway one on 127.0.0.1.
# When neither works they skip, saying so.
PG_DSN = $${KIOSK_TEST_POSTGRES:-$$(bash scripts/ci-postgres.sh 2>/dev/null || true)}

# The browser tests drive Chromium, whose processes would starve the
# race-instrumented packages beside them (a kiosk's print under -race then
# outlasts its timeout): they run after the rest, alone.
BROWSER_PKG := ./central/browsertest

unit:
	$(GO) vet $(PKGS)
	KIOSK_TEST_POSTGRES="$(PG_DSN)" $(GO) test -race -count=1 -timeout 15m $$($(GO) list $(PKGS) | grep -v '/central/browsertest$$')
	$(GO) test -race -count=1 -timeout 10m $(BROWSER_PKG)

fuzz-short:
	@for t in $(FUZZ_TARGETS); do \
		IFS=: read -r pkg name count <<< "$$t"; \
		budget=$(FUZZTIME_SHORT); [ -n "$$count" ] && [ -z "$(FUZZ_LONG)" ] && budget=$$count; \
		echo "fuzz $$pkg $$name ($$budget)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$$budget $$pkg || exit 1; \
	done

fuzz:
	@$(MAKE) --no-print-directory fuzz-short FUZZTIME_SHORT=$(FUZZTIME) FUZZ_LONG=1

# Benchmarks print their figures; they are never pass/fail timings.
bench:
	KIOSK_TEST_POSTGRES="$(PG_DSN)" $(GO) test -run='^$$' -bench=. -benchmem -count=1 -timeout 20m $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@if command -v staticcheck >/dev/null 2>&1 || $(GO) install honnef.co/go/tools/cmd/staticcheck@latest; then \
		PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck $(PKGS); \
	else echo "staticcheck did not install; skipped"; fi

# Every screen of the journey as a picture for review, at 80×24 and 120×40:
# var/screens/<state>-<lang>-<W>x<H>.png (Kazakh from TestScreens, every
# language from TestPagesReachable, which also checks each text can be read).
screens:
	rm -rf var/screens
	KIOSK_SCREENS=$(CURDIR)/var/screens $(GO) test -count=1 -run '^(TestScreens|TestPagesReachable)$$' ./kiosk/demo/
	@echo "screens in var/screens/"

# The web pages (console, and later the display and the supervisor's) as a
# headless Chromium shows them at 1366×768, one PNG per page: var/screenshots/.
console-shots:
	rm -rf var/screenshots
	KIOSK_SCREENSHOTS=$(CURDIR)/var/screenshots KIOSK_BROWSER_REQUIRED=1 $(GO) test -count=1 ./central/browsertest/
	@echo "screenshots in var/screenshots/"

# The binaries for the terminal's ARM board, without cgo; prints the kiosk's size.
cross:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -o $(BIN)/linux-arm64/ ./cmd/...
	@wc -c < $(BIN)/linux-arm64/kiosk | awk '{printf "kiosk linux/arm64: %.1f MB (%d bytes)\n", $$1/1048576, $$1}'

# The kiosk's flashable image (Debian 13, amd64 UEFI, A/B slots) and its
# signed update bundle, in var/image/kiosk-VERSION/ (latest links to it);
# needs root and the packages .ci/run installs. See scripts/image/build-image.sh.
image:
	bash scripts/image/build-image.sh var/image

# Boots the last image under QEMU (TCG) and walks a visitor through it on
# the serial console: the first screen, a scan on the second serial port,
# the ticket's bytes on the third. Logs and the ticket in var/image/smoke.
IMAGE_RAW = $$(ls var/image/latest/kiosk-*.img | head -1)
image-smoke:
	@[ -e var/image/latest ] || { echo "no image: run make image first"; exit 1; }
	$(GO) run ./scripts/image/smoke --image "$(IMAGE_RAW)" --out var/image/smoke

# A bad update rolled back by itself and a good one blessed, on the booted
# image (QEMU, one run per boot, the disk kept between boots). Outside the
# per-commit CI: about a quarter of an hour. Logs in var/image/rollback.
image-rollback:
	@[ -e var/image/latest ] || { echo "no image: run make image first"; exit 1; }
	$(GO) run ./scripts/image/rollback --image "$(IMAGE_RAW)" --key "$${RELEASE_KEY:-var/keys/dev-release.key}" --out var/image/rollback

# The build is silent and, on a fresh checkout, first downloads the Go
# modules: say so, or the wait looks like a hang.
run:
	@echo "make run: building the kiosk and the backend into $(BIN)/; the first build downloads the Go modules (a minute or two)"
	@$(MAKE) --no-print-directory build
	@echo "make run: starting the demo (kiosk demo); its backend, outbox and tickets are in ./var"
	$(BIN)/kiosk demo

# The reference backend alone, on SQLite under ./var.
central: build
	mkdir -p var
	$(BIN)/central serve --addr 127.0.0.1:8080 --db ./var/central.db

clean:
	rm -rf $(BIN)
