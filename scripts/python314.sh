#!/usr/bin/env bash
# Makes a real CPython 3.14 runnable on this machine without touching the system, and prints
# the interpreter's path on stdout (progress goes to stderr).
#
# No registry here serves a 3.14 for Debian 12, but Debian's archive also carries unstable,
# whose binary packages include python3.14. apt runs with a private sources list, state and
# cache (the system's apt configuration is left alone) and only downloads; the packages are
# unpacked with dpkg-deb, and patchelf points the interpreter at the unpacked loader and
# libraries (unstable's C library is newer than Debian 12's). Because the loader path is
# absolute, the folder is tied to where it was made: it is checked, and remade if moved.
#
# Usage: scripts/python314.sh            # install if needed, print the path
# Folder: $VERSUS_PYTHON314_DIR, default ~/.cache/versus/python3.14 (safe to delete).
set -euo pipefail

dir=${VERSUS_PYTHON314_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/versus/python3.14}
mirror=${VERSUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
python=$dir/root/usr/bin/python3.14
libs=$dir/root/usr/lib/x86_64-linux-gnu

say() { echo "python3.14: $*" >&2; }
fail() {
  say "error: $1"
  [ -z "${2:-}" ] || say "  help: $2"
  exit 2
}

# Bump when the way the folder is made changes, so older installs are made again.
layout=2

# Works means: made by this layout, it starts, reports 3.14, and a child started through
# sys.executable runs too.
works() {
  [ "$(cat "$dir/layout" 2>/dev/null)" = "$layout" ] && [ -x "$python" ] || return 1
  "$python" -c '
import subprocess, sys
assert sys.version_info[:2] == (3, 14), sys.version
child = subprocess.run([sys.executable, "-c", "import concurrent.interpreters, ssl, sqlite3"])
sys.exit(child.returncode)' >/dev/null 2>&1
}

if works; then
  echo "$python"
  exit 0
fi

[ "$(uname -m)" = x86_64 ] || fail "only x86-64 is supported (this is $(uname -m))" \
  "point versus test at any CPython 3.14 with --python PATH"
for tool in apt-get dpkg-deb patchelf; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing" \
    "install it (Debian: apt-get install ${tool/apt-get/apt}) and run this again"
done
[ -r "$keyring" ] || fail "$keyring is missing" "install Debian's debian-archive-keyring package"

say "installing CPython 3.14 from Debian unstable into $dir"
rm -rf "$dir"
mkdir -p "$dir"/apt/{lists/partial,archives/partial} "$dir/root"
touch "$dir/apt/status"
echo "deb [signed-by=$keyring] $mirror unstable main" >"$dir/apt/sources.list"
# An empty status file makes apt fetch the whole dependency closure, C library included.
apt_options=(
  -o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
  -o "Dir::State=$dir/apt" -o "Dir::State::Lists=$dir/apt/lists"
  -o "Dir::State::status=$dir/apt/status" -o "Dir::Cache=$dir/apt"
  -o "Dir::Cache::Archives=$dir/apt/archives" -o Debug::NoLocking=1
  -o APT::Architecture=amd64 -o Acquire::Retries=2 -o Acquire::http::Timeout=30
  -o Acquire::Languages=none -o APT::Sandbox::User=root
)
say "reading the package lists of Debian unstable ($mirror)"
timeout 600 apt-get "${apt_options[@]}" -qq --error-on=any update >&2 ||
  fail "could not read Debian unstable's package lists from $mirror" \
    "check the network, or set VERSUS_DEBIAN_MIRROR to a Debian mirror you can reach"
say "downloading python3.14 and the libraries it links against"
timeout 600 apt-get "${apt_options[@]}" -qq -y --download-only --no-install-recommends \
  install python3.14 >&2 ||
  fail "could not download python3.14 from Debian unstable" \
    "check the network; 'apt-cache policy python3.14' with the options in this script shows what unstable has"

say "unpacking $(ls "$dir"/apt/archives/*.deb | wc -l) packages"
for deb in "$dir"/apt/archives/*.deb; do
  dpkg-deb -x "$deb" "$dir/root"
done
rm -rf "$dir/apt/archives" "$dir/apt/lists"

# DT_RPATH, not RUNPATH: it also applies to the extension modules Python loads later.
patchelf --set-interpreter "$libs/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$libs" "$python"
# versus test runs samples with PYTHONDONTWRITEBYTECODE=1, and the packages ship no bytecode
# (Debian compiles it at install time): without this every spawned worker and subinterpreter
# would compile the standard library again (imports about 5x slower).
say "compiling the standard library's bytecode"
"$python" -m compileall -q -j0 "$dir/root/usr/lib/python3.14" >/dev/null ||
  fail "could not compile the standard library's bytecode" "delete $dir and run this again"
echo "$layout" >"$dir/layout"
works || fail "the unpacked interpreter does not run" "delete $dir and run this again"
say "ready: $("$python" -c 'import sys; print(sys.version.split()[0])') at $python"
echo "$python"
