#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset fuzz: clang, ASan + UBSan, in ./build-fuzz), then runs
# each one for SECONDS (default 180), one after another.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: corpus glove word2vec word2vec_bin
#                                             fasttext projector vectors_auto vectors_gzip checkpoint
# Seeds come from tests/data (and the crashers kept in tests/data/bad/fuzz/<target>); new inputs
# are kept in build-fuzz/corpus/<target>, crashers in build-fuzz/crashes/<target>, the output of
# each run in build-fuzz/logs/<target>.log. Exits with 1 if any target found something.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_SECONDS="${1:-180}"
shift $(( $# > 0 ? 1 : 0 ))
ALL_TARGETS=(corpus glove word2vec word2vec_bin fasttext projector vectors_auto vectors_gzip
             checkpoint)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")

BUILD_DIR="$ROOT/build-fuzz"
set -- # setup.sh passes its arguments to cmake
PRESET=fuzz EXTRA_PACKAGES="clang libclang-rt-14-dev" source "$ROOT/scripts/setup.sh"

DATA="$ROOT/tests/data"
MAX_SEED_BYTES=65536

# seed DIR PREFIX FILE...: copies each small file into DIR, PREFIX (printf format) in front.
seed() {
  local dir="$1" prefix="$2" f n
  shift 2
  for f in "$@"; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le "$MAX_SEED_BYTES" ] || continue
    n="$dir/$(echo "$f" | sed "s|^$DATA/||; s|^$SCRATCH/|gunzip_|; s|/|_|g")"
    [ -z "$prefix" ] || n="$n.$(printf "$prefix" | od -An -tx1 | tr -d ' ')"
    { printf "$prefix"; cat "$f"; } > "$n"
  done
}

# The decompressed content of the .gz fixtures, the other files as they are.
plain_contents() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    case "$f" in
      *.gz) gzip -dc "$f" > "$SCRATCH/$(basename "$f" .gz)" 2>/dev/null || true
            echo "$SCRATCH/$(basename "$f" .gz)" ;;
      *) echo "$f" ;;
    esac
  done
}

make_seeds() {
  local target="$1" dir="$BUILD_DIR/seeds/$1" d
  rm -rf "$dir"
  mkdir -p "$dir"
  shopt -s nullglob
  local text=("$DATA"/text/* "$DATA"/vectors/prose.txt "$DATA"/bad/*.txt "$DATA"/bad/*.pdf)
  local vectors=("$DATA"/vectors/* "$DATA"/queries/vectors.txt "$DATA"/bad/*.txt "$DATA"/bad/*.vec
                 "$DATA"/bad/*.bin "$DATA"/bad/*.gz "$DATA"/bad/*.png)
  local checkpoints=("$DATA"/safetensors/*.safetensors "$DATA"/golden/*.safetensors
                     "$DATA"/bad/*.safetensors "$DATA"/foreign/*)
  case "$target" in
    corpus)
      seed "$dir" '\000' "${text[@]}"
      seed "$dir" '\003' "${text[@]}" ;;
    projector)
      seed "$dir" '' "${vectors[@]}"
      for d in "$DATA"/vectors/projector* "$DATA"/bad/projector*; do
        [ -f "$d/vectors.tsv" ] || continue
        { cat "$d/vectors.tsv"; [ -f "$d/metadata.tsv" ] && { printf '\n#metadata.tsv\n'; cat "$d/metadata.tsv"; }; } \
          > "$dir/$(basename "$d")"
      done ;;
    vectors_gzip)
      mapfile -t plain < <(plain_contents "${vectors[@]}")
      seed "$dir" '\000' "${plain[@]}"
      seed "$dir" '\002' "${plain[@]}" ;;
    checkpoint)
      seed "$dir" '' "${checkpoints[@]}" ;;
    *)
      seed "$dir" '' "${vectors[@]}" ;;
  esac
  seed "$dir" '' "$DATA"/bad/fuzz/"$target"/*
  shopt -u nullglob
}

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
summary=()
found=0
for target in "${TARGETS[@]}"; do
  exe="$BUILD_DIR/tests/fuzz/fuzz_$target"
  [ -x "$exe" ] || { echo "no fuzz target $target" >&2; exit 2; }
  make_seeds "$target"
  mkdir -p "$BUILD_DIR/corpus/$target" "$BUILD_DIR/crashes/$target" "$BUILD_DIR/logs"
  dict=()
  case "$target" in
    checkpoint) dict=(-dict="$ROOT/tests/fuzz/checkpoint.dict") ;;
    corpus) ;;
    *) dict=(-dict="$ROOT/tests/fuzz/vectors.dict") ;;
  esac
  log="$BUILD_DIR/logs/$target.log"
  echo "== fuzz_$target for ${RUN_SECONDS} s (log: $log)"
  status=0
  "$exe" -max_total_time="$RUN_SECONDS" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$BUILD_DIR/crashes/$target/" ${dict[@]+"${dict[@]}"} \
    "$BUILD_DIR/corpus/$target" "$BUILD_DIR/seeds/$target" > "$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  [ -n "$execs" ] || execs="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
  crashes="$(find "$BUILD_DIR/crashes/$target" -type f | wc -l)"
  corpus="$(find "$BUILD_DIR/corpus/$target" -type f | wc -l)"
  result="ok"
  if [ "$status" -ne 0 ]; then
    result="FOUND (exit $status): $(grep -m1 -E '^==[0-9]+==ERROR|runtime error|ERROR: libFuzzer|terminate called' "$log" || echo 'see log')"
    found=1
  fi
  summary+=("$(printf '%-14s %10s execs  corpus %5s  crashers kept %3s  %s' "$target" "${execs:-?}" "$corpus" "$crashes" "$result")")
done
echo
printf '%s\n' "${summary[@]}"
exit "$found"
