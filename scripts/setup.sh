#!/usr/bin/env bash
# Installs every tool the build and the tests need, each only when it is missing or at the wrong
# version, so a second run finishes in seconds. Only package registries are used (crates.io, npm,
# PyPI, Debian apt): nothing downloads a release binary from anywhere else.
#
#   scripts/setup.sh          everything (build + all tests)
#   scripts/setup.sh serve    only what `make serve` needs
#   scripts/setup.sh release  what `make serve` needs, plus the nightly toolchain and its std
#                             sources that the size-optimised release build uses (`make build`)
#   scripts/setup.sh team     only what the team sync server needs (`make team-server`,
#                             `make test-team-server`): its npm packages and redis-server
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
CARGO_FUZZ_VERSION=0.13.2
BINARYEN_VERSION=132.0.0
GECKODRIVER_VERSION=0.37.1
SELENIUM_VERSION=4.50.0  # 4.52 needs a certifi release the registry mirror lacks
# The wasm-bindgen CLI must match the library in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

export PATH="$HOME/.cargo/bin:$PATH"
scope=${1:-all}
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- The team sync server (team-server/): its npm packages, and redis-server for its Redis test ---
# `npm ci` compiles better-sqlite3 from source (about a minute on 2 cores; its prebuilt binaries come
# from GitHub, which is not reachable). npm writes node_modules/.package-lock.json at the end of a
# complete install, so an install newer than package-lock.json, with the compiled addon in place,
# is current. npm 11 runs the addon's build only because package.json's allowScripts approves it:
# the check for the .node file catches a future npm that skips it anyway.
setup_team_server() {
  local dir=team-server
  local addon=$dir/node_modules/better-sqlite3/build/Release/better_sqlite3.node
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 20 ]; then
    say "the team server needs Node 20 or newer; found $(node --version 2>/dev/null || echo no node)"
    exit 1
  fi
  if [ ! -f "$addon" ] || [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    say "installing the team server's npm packages (npm ci; better-sqlite3 compiles for about a minute)"
    (cd "$dir" && npm ci --no-fund --no-audit)
    if [ ! -f "$addon" ]; then
      say "npm ci finished but better-sqlite3 was not compiled ($addon is missing)"
      exit 1
    fi
  fi
  if ! command -v redis-server >/dev/null; then
    say "installing redis-server (the team server's tests start one, on a port of their own)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server
  fi
}
if [ "$scope" = team ]; then
  setup_team_server
  say "team server tools present"
  exit 0
fi

# --- free disk space -----------------------------------------------------------------------------
# A full `make test` from a clean clone writes about 5 GB of build output (the wasm and native
# targets, the fuzz targets, the nightly std rebuild). A full disk shows up much later as some
# compiler failing with no reason given (a C++ object file of libFuzzer, once), so say it here.
if [ "$scope" = all ]; then
  need_kb=$((6 * 1024 * 1024))
  free_kb=$(df --output=avail -k . | tail -n 1 | tr -d ' ')
  if [ "$free_kb" -lt "$need_kb" ]; then
    say "only $((free_kb / 1024)) MB free on the disk holding $(pwd); the build and tests need about 6 GB"
    exit 1
  fi
fi

# --- Rust target -------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# --- Debian packages ---------------------------------------------------------------------------
apt_packages=(chromium chromium-driver fonts-noto-color-emoji fonts-noto-cjk)
if [ "$scope" = all ]; then
  apt_packages+=(firefox-esr webkit2gtk-driver xvfb)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi

# --- cargo-installed tools ---------------------------------------------------------------------
version_of() { "$@" 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true; }

if [ "$(version_of trunk --version)" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  # 0.22.x declares rust-version 1.96.1 but builds and works on 1.95.
  cargo install --locked --ignore-rust-version "trunk@$TRUNK_VERSION"
fi
if [ "$(version_of wasm-bindgen --version)" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # No --locked: its lockfile pins a webpki-roots version the registry no longer has.
  cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi
if [ "$scope" = all ] && [ "$(version_of geckodriver --version)" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION"
  cargo install --locked "geckodriver@$GECKODRIVER_VERSION"
fi

# --- nightly toolchain: the release build rebuilds std with it (-Zbuild-std, see the Makefile)
# and the fuzz targets need it ----------------------------------------------------------------
if [ "$scope" = all ] || [ "$scope" = release ]; then
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing the nightly toolchain (the release build and the fuzz targets need it)"
    rustup toolchain install nightly --profile minimal || {
      say "could not install the nightly toolchain; the release build and the fuzz targets need it"; exit 1; }
  fi
  if ! rustup component list --installed --toolchain nightly | grep -q '^rust-src'; then
    say "adding rust-src to the nightly toolchain (the release build rebuilds std from it)"
    rustup component add rust-src --toolchain nightly
  fi
fi
if [ "$scope" = all ] && [ "$(version_of cargo fuzz --version)" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

# --- wasm-opt from npm (Debian's binaryen 108 rejects current rustc output) ---------------------
if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
  as_root npm install -g --no-fund --no-audit "binaryen@$BINARYEN_VERSION"
fi

[ "$scope" = all ] || exit 0

# --- Playwright (driver only: it runs Debian's Chromium, never downloads a browser) ------------
stamp=tests/e2e/node_modules/.setup-stamp
if [ ! -f "$stamp" ] || ! cmp -s tests/e2e/package-lock.json "$stamp"; then
  say "installing Playwright test runner (npm ci)"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-fund --no-audit)
  cp tests/e2e/package-lock.json "$stamp"
fi

# --- Selenium for the Firefox and WebKit smoke test ---------------------------------------------
if [ "$(python3 -c 'import selenium; print(selenium.__version__)' 2>/dev/null)" != "$SELENIUM_VERSION" ]; then
  say "installing selenium $SELENIUM_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION"
fi
# --- The agreement report's reference implementations (krippendorff, scikit-learn) ---------------
# In a venv of their own, pinned with everything they pull in (tests/agreement/requirements.txt).
pyref=target/pyref
if [ ! -x "$pyref/bin/python" ] || ! cmp -s tests/agreement/requirements.txt "$pyref/.setup-stamp"; then
  say "installing the agreement references into $pyref (krippendorff, scikit-learn)"
  rm -rf "$pyref"
  if ! python3 -m venv "$pyref" 2>/dev/null; then
    # Debian's python3 makes venvs only with python3-venv installed.
    as_root apt-get install -y -qq python3-venv
    rm -rf "$pyref"
    python3 -m venv "$pyref"
  fi
  "$pyref/bin/pip" install --quiet --disable-pip-version-check -r tests/agreement/requirements.txt
  cp tests/agreement/requirements.txt "$pyref/.setup-stamp"
fi
setup_team_server
say "all tools present"
