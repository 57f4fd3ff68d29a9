#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: formatting, lints, unit and
# integration tests. Installs nothing it does not need; says what it is doing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust (https://rustup.rs) and run this again" >&2
  exit 2
fi
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

# The browser tests need Debian's Chromium, a Java runtime for the Nu HTML Checker, and Node.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# scripts/python314.sh unpacks CPython 3.14 from Debian unstable and patches it with these.
command -v patchelf >/dev/null 2>&1 || missing+=(patchelf)
command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --locked

# --- fuzzing: mutated books through the real binary, for a bounded time -------------------
# (tests/it/fuzz.rs; `cargo test` above ran a few cases, this runs them for a minute. Set
# VERSUS_FUZZ_SECONDS for longer, VERSUS_FUZZ_SEED to replay the seed a failure printed.)
fuzz_seconds="${VERSUS_FUZZ_SECONDS:-60}"
echo "== fuzz: mutated books through versus build and check for ${fuzz_seconds} s"
VERSUS_FUZZ_SECONDS="$fuzz_seconds" cargo test --locked --test it \
  fuzz::mutated_books_never_panic_hang_or_lose_the_site -- --exact --nocapture
# --- end of fuzzing -----------------------------------------------------------------------

# The newest Python 3 this machine has: python3.N on PATH or under pyenv.
newest_python() {
  local candidates=() best="" best_version="0.0" path version
  for path in $(compgen -c python3. | sort -u) python3; do
    command -v "$path" >/dev/null 2>&1 && candidates+=("$(command -v "$path")")
  done
  for path in "$HOME"/.pyenv/versions/3.*/bin/python3; do
    [ -x "$path" ] && candidates+=("$path")
  done
  for path in "${candidates[@]}"; do
    version=$("$path" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
    if [ "$(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n 1)" = "$version" ] && [ "$version" != "$best_version" ]; then
      best=$path
      best_version=$version
    fi
  done
  [ -n "$best" ] || { echo "no Python 3 found: install python3" >&2; return 1; }
  echo "$best"
}

echo "== versus check --deny-warnings (the shipped book)"
cargo run --quiet --locked -- check . --deny-warnings
python=$(newest_python)
echo "== versus test (the shipped book, with $python)"
cargo run --quiet --locked -- test . --python "$python"

# The survey documents Python 3.14, so its samples must also pass on a real 3.14, and none may
# be skipped there for its version (only `no-run` and free-threading samples may skip).
echo "== CPython 3.14 (scripts/python314.sh)"
python314=$(scripts/python314.sh)
echo "== versus test (the shipped book, with $python314)"
report=target/versus-test-3.14.txt
cargo run --quiet --locked -- test . --python "$python314" | tee "$report"
if grep -n "skipped: needs Python" "$report"; then
  echo "error: samples above were skipped on Python 3.14 for their version" >&2
  exit 1
fi

# The Python package and the Sphinx example. maturin (from PyPI, pinned in
# python/requirements-build.txt) packages the binary into the versus wheel with the dev profile,
# the one the tests use (release is for benchmarks), reusing target/debug. The wheel goes into a
# fresh virtual environment, where `versus --version` must work, and into one with only Sphinx and
# python-docs-theme (examples/sphinx/requirements.txt), whose sphinx-build the browser tests run.
# Every environment is made with the CPython 3.14 above, the one Python this script installs
# itself (Sphinx 9 needs 3.12 or newer, which a fresh machine may not have), and the cached ones
# are remade when a pin or that interpreter changes. Debian's 3.14 comes without ensurepip, so
# the machine's own pip puts a pip into each environment first.
python_env() { # python_env DIR REQUIREMENTS
  local stamp
  stamp=$(cat "$2"; echo "# made with $python314")
  if [ "$stamp" != "$(cat "$1/requirements.txt" 2>/dev/null)" ]; then
    echo "== installing $2 into $1"
    rm -rf "$1"
    "$python314" -m venv --without-pip "$1"
    "$python" -m pip --python "$1/bin/python" install --quiet --disable-pip-version-check pip
    "$1/bin/pip" install --quiet --disable-pip-version-check -r "$2"
    echo "$stamp" >"$1/requirements.txt"
  fi
}
python_env target/maturin-venv python/requirements-build.txt
python_env target/sphinx-venv examples/sphinx/requirements.txt
echo "== the versus wheel (maturin build --profile dev)"
rm -rf target/wheels target/wheel-venv
target/maturin-venv/bin/maturin build --quiet --locked --profile dev --out target/wheels
wheel=$(echo target/wheels/versus-*.whl)
"$python314" -m venv --without-pip target/wheel-venv
target/sphinx-venv/bin/pip --python target/wheel-venv/bin/python install --quiet --disable-pip-version-check --no-deps "$wheel"
installed=$(target/wheel-venv/bin/versus --version)
[ "$installed" = "$(target/debug/versus --version)" ] || { echo "the wheel's versus says: $installed" >&2; exit 1; }
target/wheel-venv/bin/python -c 'import versus'
echo "   $wheel: $installed"
target/sphinx-venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "== the Sphinx extension's unit tests (python/tests, on the shipped book's data)"
target/debug/versus build . --dest target/python-tests-site
VERSUS_DATA=target/python-tests-site/embed/data.json target/sphinx-venv/bin/python -m unittest discover --quiet -s python/tests
export SPHINX_BUILD="$PWD/target/sphinx-venv/bin/sphinx-build"

echo "== browser tests (headless Chromium, axe-core, Nu HTML Checker, Sphinx)"
# From the lockfile, without install scripts: nothing may download a browser or a runtime.
(cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
(cd tests/browser && VERSUS_BIN="$PWD/../../target/debug/versus" npm test --silent)
