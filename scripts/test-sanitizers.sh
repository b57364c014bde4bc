#!/usr/bin/env bash
# Installs what is missing, builds the whole project with AddressSanitizer and
# UndefinedBehaviorSanitizer (CMake preset asan, in ./build-asan) and runs every test suite under
# them through CTest. `scripts/test-sanitizers.sh tsan` builds with ThreadSanitizer instead
# (preset tsan, ./build-tsan) and runs the threaded suites (training, its controller, the window).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRESET="${1:-asan}"
case "$PRESET" in
  asan|tsan) ;;
  *) echo "usage: $0 [asan|tsan]" >&2; exit 2 ;;
esac
BUILD_DIR="$ROOT/build-$PRESET"
set -- # setup.sh passes its arguments to cmake
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
ctest --preset "$PRESET"
