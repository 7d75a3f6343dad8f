#!/usr/bin/env bash
# Determinism across parallelism: the same sweep gives byte-identical
# summary files with -j1, -j2, and as shards 1/3, 2/3, 3/3 joined by merge.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
args=(--chips 1,2,4,8 --timing-only --set workload.seq_len=8 --sweep system.topology.fan_in=2,4)
fail=0
"$bin" sweep "$exp" "${args[@]}" -j 1 --out "$scratch/j1" >/dev/null || { echo "FAIL: -j1"; exit 1; }
"$bin" sweep "$exp" "${args[@]}" -j 2 --out "$scratch/j2" >/dev/null || { echo "FAIL: -j2"; exit 1; }
for i in 1 2 3; do
    "$bin" sweep "$exp" "${args[@]}" -j 2 --shard $i/3 --out "$scratch/s$i" >/dev/null || { echo "FAIL: shard $i/3"; exit 1; }
done
"$bin" merge --out "$scratch/m" "$scratch/s1" "$scratch/s2" "$scratch/s3" >/dev/null || { echo "FAIL: merge"; exit 1; }
n=$(ls "$scratch"/s?/points/*.json | wc -l)
[ "$n" -eq 8 ] || { echo "FAIL: shards hold $n points, want 8"; fail=1; }
for f in summary.csv summary.json summary.md speedup.svg energy.svg edp.svg; do
    cmp -s "$scratch/j1/$f" "$scratch/j2/$f" || { echo "FAIL: $f differs between -j1 and -j2"; fail=1; }
    cmp -s "$scratch/j1/$f" "$scratch/m/$f" || { echo "FAIL: $f differs between -j1 and 3 merged shards"; fail=1; }
done
for p in "$scratch"/j1/points/*.json; do
    # wall_s is the host's time, the one field that may differ
    cmp -s <(grep -v '"wall_s"' "$p") <(grep -v '"wall_s"' "$scratch/j2/points/$(basename "$p")") || { echo "FAIL: point $(basename "$p") differs between -j1 and -j2"; fail=1; }
done
exit $fail
