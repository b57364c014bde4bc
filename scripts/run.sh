#!/usr/bin/env bash
# Installs what is missing, builds, and starts Embedding Lab on its bundled sample corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
exec "$BUILD_DIR/app/embedlab" "$@"
