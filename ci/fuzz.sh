#!/usr/bin/env bash
# Builds every fuzz target (nightly, cargo-fuzz) and runs each for a bounded time with a corpus
# seeded from the real data files: pieces of each file (its header plus runs of body lines from
# several places), made in a temporary directory. A crash fails the script. A fixed seed makes
# each run explore the same inputs in the same order (the time bound decides how far).
#   ci/fuzz.sh [SECONDS_PER_TARGET]     (default 40; GNSS_INTEROP_DATA as for the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
per_target="${1:-40}"
data="${GNSS_INTEROP_DATA:-../shared/data}"
[ -d "$data" ] || { echo "fuzz: no data directory $data" >&2; exit 1; }
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# seed DIR FILE...: header + 80 body lines from 6 places of each file (16 KB at most each).
seed() {
  local dir="$1"; shift
  mkdir -p "$dir"
  local f text n header i start k=0
  for f in "$@"; do
    text="$work/text"
    case "$f" in *.gz) gzip -dc "$f" >"$text" ;; *) cp "$f" "$text" ;; esac
    n=$(wc -l <"$text")
    header=$(grep -n -m1 -E 'END OF HEADER|^\*  ' "$text" | cut -d: -f1 || true)
    header=${header:-0}
    for i in 0 1 2 3 4 5; do
      start=$(( header + 1 + (n - header) * i / 6 ))
      { sed -n "1,${header}p" "$text"; sed -n "${start},$((start + 79))p" "$text"; } >"$dir/seed-$k"
      truncate -s '<16384' "$dir/seed-$k"
      k=$((k + 1))
    done
  done
}
seed "$work/nav_reader" "$data"/nav/*
seed "$work/offsets_reader" "$data"/nav/*
seed "$work/sp3_reader" "$data"/sp3/*
seed "$work/clk_reader" "$data"/clk/*
seed "$work/multi_file" "$data"/nav/* "$data"/sp3/*

for target in nav_reader offsets_reader sp3_reader clk_reader multi_file; do
  echo "fuzz: $target for ${per_target} s"
  status=0
  cargo +nightly fuzz run "$target" "$work/$target" -- \
    -seed=1 -max_total_time="$per_target" -max_len=16384 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$work/$target.log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work/$target.log" || true
  if [ "$status" -ne 0 ]; then
    grep -m 3 -A 2 'panicked at' "$work/$target.log" >&2 || true
    tail -n 40 "$work/$target.log" >&2
    echo "fuzz: $target failed (status $status)" >&2
    exit 1
  fi
done
