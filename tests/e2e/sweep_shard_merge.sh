#!/usr/bin/env bash
# mcusim sweep --shard 1/2 and 2/2, joined by mcusim merge, give the same
# summary files byte for byte as the unsharded sweep; the shards split the
# points without overlap.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
args=(--chips 1,2,4,8 --timing-only --set workload.seq_len=8 --sweep system.topology.fan_in=2,4 -j 2)
fail=0
"$bin" sweep "$exp" "${args[@]}" --out "$scratch/all" >/dev/null || { echo "FAIL: unsharded sweep"; exit 1; }
"$bin" sweep "$exp" "${args[@]}" --shard 1/2 --out "$scratch/s1" >/dev/null || { echo "FAIL: shard 1"; exit 1; }
"$bin" sweep "$exp" "${args[@]}" --shard 2/2 --out "$scratch/s2" >/dev/null || { echo "FAIL: shard 2"; exit 1; }
n1=$(ls "$scratch/s1/points" | wc -l) n2=$(ls "$scratch/s2/points" | wc -l) n=$(ls "$scratch/all/points" | wc -l)
[ "$n" -eq 8 ] && [ $((n1 + n2)) -eq "$n" ] || { echo "FAIL: shards hold $n1 + $n2 points, unsharded $n"; fail=1; }
"$bin" merge --out "$scratch/merged" "$scratch/s1" "$scratch/s2" >/dev/null || { echo "FAIL: merge"; exit 1; }
for f in summary.csv summary.json summary.md speedup.svg energy.svg edp.svg; do
    cmp -s "$scratch/all/$f" "$scratch/merged/$f" || { echo "FAIL: merged $f differs from the unsharded one"; fail=1; }
done
grep -q "system.topology.fan_in=2" "$scratch/merged/summary.csv" || { echo "FAIL: grid values missing from rows"; fail=1; }
exit $fail
