# Article Annotator. The two commands: `make serve` and `make test`. Both install what is missing
# first (scripts/setup.sh is idempotent), so they work on a fresh machine and are quick after.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
# Chromium flags every headless run here needs (as root; closed network).
export CHROME_FLAGS := --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic

.PHONY: serve test setup setup-serve setup-release build lint test-native test-wasm test-wasm-chromium \
        test-wasm-firefox test-wasm-webkit test-e2e test-smoke screenshot size clean bench bench-smoke \
        fuzz fuzz-smoke test-interop test-agreement profile team-server test-team-server bench-team \
        bench-engines

serve: setup-serve
	cargo fetch
	trunk serve --address 127.0.0.1 --port 8080

setup:
	scripts/setup.sh all

setup-serve:
	scripts/setup.sh serve

setup-release:
	scripts/setup.sh release

# The release build rebuilds std for size with the nightly toolchain: `-Zbuild-std` with
# `panic=immediate-abort` (panics already aborted; this also drops their messages and the
# formatting behind them) and std's `optimize_for_size`. It takes 37 KB off the gzipped wasm
# (bench/NOTES.md). `-Zlocation-detail=none` drops the file names and lines that panics would
# have reported (0.9 KB): with immediate-abort nothing reports them. `make serve` is a debug build and stays on stable; a plain
# `trunk build --release` still works on stable, only bigger.
RELEASE_ENV := RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size RUSTFLAGS='-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none'

build: setup-release
	cargo fetch
	$(RELEASE_ENV) cargo fetch --target wasm32-unknown-unknown
	$(RELEASE_ENV) trunk build --release

test: setup lint test-native test-team-server test-interop test-agreement fuzz-smoke test-wasm build test-e2e bench-smoke test-smoke
	@echo "make test: every layer passed"

# The pure core (crates/core) has no web crate in its Cargo.toml: the compiler enforces the
# layering. Its library is linted for wasm32 too, since the app ships it.
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p annotator-core --lib --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test --workspace

# Python (stdlib only) reads every golden dataset file and checks each span's offsets against its
# quoted text, as a dataset user would: code points, and UTF-16 where that unit was chosen.
test-interop:
	python3 tests/interop/check_formats.py tests/fixtures/formats

# The agreement report (crates/core/src/agreement) against the reference implementations:
# Python's krippendorff and scikit-learn (in target/pyref, from scripts/setup.sh) and a written-out
# unitizing alpha, on hand-made and 150 generated studies, to 1e-9.
test-agreement:
	cargo build --quiet -p annotator-core --example agreement_report
	target/pyref/bin/python tests/agreement/check_report.py generate \
	  --report-command target/debug/examples/agreement_report

# Every import parser under libFuzzer. `fuzz-smoke` (in `make test`) runs each target for
# FUZZ_SECONDS; `make fuzz` runs them for 10 minutes each. Inputs found go to target/fuzz-corpus,
# crashes to fuzz/artifacts. No sanitizer: the crate forbids unsafe code; panics are what we hunt.
FUZZ_TARGETS := native jsonl w3c doccano label_studio brat detect storage adjudication
FUZZ_SECONDS ?= 8
fuzz-smoke:
	mkdir -p target/fuzz-logs
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/fuzz-corpus/$$t; \
	  if ! cargo +nightly fuzz run --sanitizer none $$t target/fuzz-corpus/$$t fuzz/seeds/$$t \
	      -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536 >target/fuzz-logs/$$t.log 2>&1; then \
	    cat target/fuzz-logs/$$t.log; echo "fuzz: target $$t failed (input saved under fuzz/artifacts/$$t)"; exit 1; \
	  fi; \
	  echo "fuzz $$t: $$(grep -E '^Done [0-9]+ runs' target/fuzz-logs/$$t.log)"; \
	done

fuzz:
	$(MAKE) fuzz-smoke FUZZ_SECONDS=600

# The same wasm-bindgen-test suite in all three engines. Exactly one driver variable is set per
# run: with none set the runner prefers geckodriver, so a "Chromium" run could silently be Firefox.
# The runner's WASM_BINDGEN_TEST_TIMEOUT (default 20 s) is the budget of the whole suite and of
# each poll of the page, and a loaded machine can spend it on startup alone.
test-wasm: test-wasm-chromium test-wasm-firefox test-wasm-webkit
export WASM_BINDGEN_TEST_TIMEOUT ?= 240

test-wasm-chromium:
	env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER=$$(command -v chromedriver) \
	  cargo test --target wasm32-unknown-unknown

test-wasm-firefox:
	env -u CHROMEDRIVER -u SAFARIDRIVER GECKODRIVER=$$(command -v geckodriver) \
	  cargo test --target wasm32-unknown-unknown

# WebKitGTK's driver has twice stopped answering the runner's polls on a loaded CI machine, so the
# runner died before the suite reported (no "test result:" line; tests had not failed). Such a run
# is retried once, saying so; a run in which any test failed (a "... FAIL" line, even when the
# failure then took the page down) is never retried.
test-wasm-webkit:
	mkdir -p target/wasm-logs
	for attempt in 1 2; do \
	  if env -u CHROMEDRIVER -u GECKODRIVER SAFARIDRIVER=$$(command -v WebKitWebDriver) \
	      xvfb-run -a cargo test --target wasm32-unknown-unknown 2>&1 | tee target/wasm-logs/webkit.log; then \
	    exit 0; \
	  fi; \
	  if grep -qE 'test result: FAILED|\.\.\. FAIL$$' target/wasm-logs/webkit.log || [ $$attempt = 2 ]; then exit 1; fi; \
	  echo "test-wasm-webkit: the runner lost WebKit before the suite reported; running it once more"; \
	done

# On failure, each failed test's error is printed again last (tests/e2e/failures.mjs).
test-e2e:
	cd tests/e2e && { npx playwright test || { node failures.mjs; exit 1; }; }

test-smoke:
	xvfb-run -a python3 tests/smoke/cross_browser.py

# Regenerates the README screenshot from a real run of the release build.
screenshot: build
	cd tests/e2e && node screenshot.mjs ../../docs/screenshot.png

clean:
	rm -rf dist target tests/e2e/test-results

# Release bundle sizes, raw and gzip.
size: build
	scripts/bundle-size.sh

# Benchmarks (not part of `make test`: timings on shared machines are noisy). Writes
# bench/native.json, bench/results.json and BENCHMARKS.md.
bench: setup build
	BENCH_OUT=$(CURDIR)/bench/native.json cargo bench -p annotator-core --bench core
	cd tests/e2e && node bench/run.mjs

# Team mode end to end (tests/e2e/bench/team.mjs): update latency between two app clients, the
# convergence of 10 clients × 100 spans, the team server's memory per 1,000 annotations. Writes
# bench/team-results.json and bench/team.md, then BENCHMARKS.md (with `make bench`'s last numbers).
bench-team: setup build
	cd tests/e2e && node bench/team.mjs
	cd tests/e2e && node bench/run.mjs --render-only 1

# Hocuspocus (team-server/server.mjs) and y-sweet measured with one workload from Node Yjs clients
# (team-server/bench/engines.mjs): update latency, convergence of 10 clients × 100 edits, server
# memory and disk per 1,000 annotations, kill -9 and restart, two live instances, auth. Writes
# bench/engines-results.json and bench/engines.md (part of BENCHMARKS.md). y-sweet comes from
# crates.io into target/tools/y-sweet (compiled once, a few minutes); --force only because a
# binary put there by hand is not in cargo's records and cargo would refuse to overwrite it.
YSWEET_VERSION := 0.9.1
YSWEET := target/tools/y-sweet/bin/y-sweet
bench-engines:
	if [ "$$($(YSWEET) version 2>/dev/null)" != "$(YSWEET_VERSION)" ]; then \
	  cargo install --locked --force --root target/tools/y-sweet y-sweet --version $(YSWEET_VERSION); \
	fi
	scripts/setup.sh team
	cd team-server && node bench/engines.mjs
	cd tests/e2e && node bench/run.mjs --render-only 1

# Where the time goes on L: Chromium's CPU profiler over a release build that keeps wasm function
# names (no wasm-opt). Writes bench/profile.json and bench/PROFILE.md. PROFILE_ARGS passes options on,
# e.g. `make profile PROFILE_ARGS='--size L+R --repeat 15'` (tests/e2e/bench/profile.mjs lists them).
profile: setup
	sed 's/data-wasm-opt="z"/data-wasm-opt="0"/' index.html > profile.html
	$(RELEASE_ENV) cargo fetch --target wasm32-unknown-unknown
	$(RELEASE_ENV) trunk build profile.html --release --dist target/profile-dist || { rm -f profile.html; exit 1; }
	rm -f profile.html
	if [ -f target/profile-dist/profile.html ]; then mv target/profile-dist/profile.html target/profile-dist/index.html; fi
	cd tests/e2e && node bench/profile.mjs --dist ../../target/profile-dist $(PROFILE_ARGS)

# A tiny run of the browser benchmark harness (S, and S with relations), so it never rots; its
# numbers are thrown away.
bench-smoke:
	cd tests/e2e && node bench/run.mjs --sizes S,S+R --runs 2 --out ../../target/bench-smoke --markdown none

# The team-mode sync server (team-server/server.mjs: Hocuspocus 3 on Node, documents in SQLite under
# team-server/data/, tokens from team-server/tokens.json, else tokens.example.json). `make
# team-server` runs it on ws://127.0.0.1:1234; TEAM_SERVER_ARGS passes flags on, e.g.
# `make team-server TEAM_SERVER_ARGS='--port 4000 --redis 127.0.0.1:6379'`. `make test-team-server`
# runs its Node tests: each starts its own servers (and a redis-server) on free loopback ports.
team-server:
	scripts/setup.sh team
	node team-server/server.mjs $(TEAM_SERVER_ARGS)

test-team-server:
	scripts/setup.sh team
	node --test team-server/test/
