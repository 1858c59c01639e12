# Sourced by setup-wine.sh and wine-node.sh: which Wine runs the lane, and in which prefix.
# (drivers/native/wine.ts follows the same rules.)
#
# The loader, first found of:
#   --wine PATH (wine-node.sh), JOINLEAF_WINE, WINELOADER   a Wine of your own, e.g. a build tree's wine64
#   wine64, then wine, on PATH                               the system's Wine (Debian: /usr/bin/wine)
# Its wineserver: WINESERVER, else the one next to the loader (or ../server/ in a build tree),
# else wineserver on PATH.
# The prefix: WINEPREFIX, else <cache>/wine-prefix for the system's Wine, else
# <cache>/wine-prefix-<8 hex digits of the loader's path> (a Wine of your own never shares the
# system Wine's prefix: a newer Wine upgrades a prefix in place).
#
# Sets WINE, WINESERVER, WINE_EXPLICIT (1 when the loader was given), WINEPREFIX;
# wine_loader_check prints why WINE is not a usable Wine loader, or nothing.

wine_loader_resolve() { # $1 = cache folder
  WINE_EXPLICIT=0
  WINE="${JOINLEAF_WINE:-${WINELOADER:-}}"
  if [ -n "$WINE" ]; then
    WINE_EXPLICIT=1
  else
    WINE="$(command -v wine64 2>/dev/null || command -v wine 2>/dev/null || true)"
  fi
  if [ -z "${WINESERVER:-}" ] && [ -n "$WINE" ] && [ -e "$WINE" ]; then
    local dir
    dir="$(dirname "$(readlink -f "$WINE")")"
    for c in "$dir/wineserver" "$dir/../server/wineserver" "$(command -v wineserver 2>/dev/null || true)"; do
      if [ -n "$c" ] && [ -x "$c" ]; then WINESERVER="$(readlink -f "$c")"; break; fi
    done
  fi
  WINESERVER="${WINESERVER:-}"
  if [ -z "${WINEPREFIX:-}" ]; then
    if [ "$WINE_EXPLICIT" = 1 ]; then
      WINEPREFIX="$1/wine-prefix-$(printf '%s' "$(readlink -f "$WINE" 2>/dev/null || printf '%s' "$WINE")" | sha1sum | cut -c1-8)"
    else
      WINEPREFIX="$1/wine-prefix"
    fi
  fi
}

wine_loader_check() {
  if [ -z "$WINE" ]; then
    echo "no Wine loader found (no wine64 or wine on PATH): run 'npm run setup:wine', or give one with --wine PATH or JOINLEAF_WINE"
  elif [ ! -f "$WINE" ] || [ ! -x "$WINE" ]; then
    echo "$WINE is not a Wine loader: no executable file there"
  elif ! "$WINE" --version </dev/null 2>/dev/null | grep -q '^wine-'; then
    echo "$WINE is not a Wine loader: '$WINE --version' does not print a Wine version"
  elif [ -z "$WINESERVER" ]; then
    echo "no wineserver found for $WINE: set WINESERVER"
  fi
}
