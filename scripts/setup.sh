#!/usr/bin/env bash
# Installs the Debian packages Embedding Lab needs (only the missing ones), then configures and
# builds a Release build in ./build. Sourced by run.sh, test.sh, test-sanitizers.sh and fuzz.sh.
# Optional, set by the sourcing script: EXTRA_PACKAGES (more Debian packages, space-separated)
# and PRESET (configure and build that CMakePresets.json preset instead; BUILD_DIR should then
# name its binaryDir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqcustomplot-dev libeigen3-dev
  libopenblas-dev libopenblas0-pthread zlib1g-dev libzstd-dev libicu-dev
  nlohmann-json3-dev libcli11-dev libfast-float-dev
  qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
  libgl-dev fonts-dejavu-core fonts-noto-cjk xauth xvfb
)
read -r -a extra <<< "${EXTRA_PACKAGES:-}"
PACKAGES+=(${extra[@]+"${extra[@]}"})

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -n "${PRESET:-}" ]; then
  (cd "$ROOT" && cmake --preset "$PRESET" "$@" && cmake --build --preset "$PRESET" --parallel "$(nproc)")
else
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$BUILD_DIR" --parallel "$(nproc)"
fi
