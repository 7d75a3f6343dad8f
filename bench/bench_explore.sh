#!/usr/bin/env bash
# Exploration throughput (issue 14's speed target): bench/explore_10k.yaml,
# 10 000 timing-only points of TinyLlama-42M autoregressive up to 64 chips,
# at -j2. Prints the wall time (target < 60 s on the 2-core machine), the
# points per second, the CPU time (wall time depends on what else the
# machine runs), the peak memory and the exploration's own share: planning,
# taking in each point's figures and writing the report, against the time
# of the points it drives (target < 10 %).
# Usage: bench/bench_explore.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mcusim_bench_explore.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export MCUSIM_HOME=$src
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then
    /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" "$build/mcusim" explore \
        "$src/bench/explore_10k.yaml" -j 2 --out "$scratch/out" >"$scratch/log" 2>&1 || true
else
    start=$(date +%s.%N)
    "$build/mcusim" explore "$src/bench/explore_10k.yaml" -j 2 --out "$scratch/out" >"$scratch/log" 2>&1 || true
    echo "$(echo "$(date +%s.%N) - $start" | bc) 0 0 0" >"$scratch/time"
fi
read -r wall user sys rss <"$scratch/time"
# "mcusim explore: T s: points P s (R points/s), exploration's own work W s (...) = S % of ..."
line=$(grep "exploration's own work" "$scratch/log" || true)
if [ -z "$line" ]; then echo "explore failed:"; tail -5 "$scratch/log"; exit 1; fi
n=$(sed -n 's/.*points chosen: \([0-9]*\) simulated.*/\1/p' "$scratch/log")
rate=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) points\/s).*/\1/p')
own=$(echo "$line" | sed -n 's/.* = \([0-9.]*\) % of the points.*/\1/p')
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$n" -v rate="$rate" -v own="$own" 'BEGIN {
    printf "%-44s wall %7.2f s  %5d points  %6.1f points/s  CPU %6.1f s  peak RSS %6.1f MiB\n",
           "explore, 10 000 points (tinyllama_ar, -j2)", w, n, rate, u + s, r / 1024
    printf "%-44s %5.1f %% of the points'"'"' time (target < 10 %%)\n", "exploration'"'"'s own work", own }'
grep -h "points failed" "$scratch/log" 2>/dev/null | head -3 || true
