#!/usr/bin/env bash
# A failing sweep point is reported with its configuration, does not take
# the other points down, and makes the sweep exit 1.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
# A 17 KiB L1 loads (a valid size) but no tile fits it: those points fail
# when they simulate. (A value that does not even load is refused before any
# point runs: sweep_axis_checks.sh.)
"$bin" sweep "$exp" --chips 1,2 --timing-only --sweep "system.node.l1.size=256 KiB,17 KiB" -j 2 \
    --out "$scratch/o" >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: rc $rc, want 1"; fail=1; }
grep -q "chips=2, system.node.l1.size=17 KiB" "$scratch/err" || { echo "FAIL: failing point not named with its config"; cat "$scratch/err"; fail=1; }
grep -q "partial summary: 2 of 4 planned points" "$scratch/err" || { echo "FAIL: no note that the summary is partial"; cat "$scratch/err"; fail=1; }
grep -q '"partial": true' "$scratch/o/summary.json" || { echo "FAIL: summary.json does not say partial"; fail=1; }
rows=$(grep -c "system.node.l1.size=256 KiB" "$scratch/o/summary.csv")
[ "$rows" -eq 2 ] || { echo "FAIL: $rows good rows in the summary, want 2"; fail=1; }
exit $fail
