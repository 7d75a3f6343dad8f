#!/usr/bin/env bash
# A failing sweep point is reported with its configuration, does not take
# the other points down, and makes the sweep exit 1.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
# seq_len beyond the model's max_seq is a bad configuration for those points only.
"$bin" sweep "$exp" --chips 1,2 --timing-only --sweep workload.seq_len=8,999999 -j 2 \
    --out "$scratch/o" >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: rc $rc, want 1"; fail=1; }
grep -q "chips=2, workload.seq_len=999999" "$scratch/err" || { echo "FAIL: failing point not named with its config"; cat "$scratch/err"; fail=1; }
rows=$(grep -c "workload.seq_len=8" "$scratch/o/summary.csv")
[ "$rows" -eq 2 ] || { echo "FAIL: $rows good rows in the summary, want 2"; fail=1; }
exit $fail
