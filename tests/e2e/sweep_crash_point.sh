#!/usr/bin/env bash
# A point whose process crashes (test hook MCUSIM_TEST_CRASH_POINT=<id>
# makes that child abort) is reported with its configuration, the other
# points finish and are summarised, no temporary file is left, exit is 1.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
MCUSIM_TEST_CRASH_POINT=g001-c0002 "$bin" sweep "$exp" --chips 1,2,4 --timing-only \
    --set workload.seq_len=8 --sweep system.topology.fan_in=2,4 -j 2 --out "$scratch/o" \
    >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: rc $rc, want 1"; fail=1; }
grep -q "point g001-c0002 (chips=2, system.topology.fan_in=4, --set workload.seq_len=8) killed by signal" "$scratch/err" \
    || { echo "FAIL: crashing point not reported with its config"; cat "$scratch/err"; fail=1; }
n=$(ls "$scratch/o/points" | grep -c '\.json$')
[ "$n" -eq 5 ] || { echo "FAIL: $n point files, want the 5 that did not crash"; fail=1; }
[ -e "$scratch/o/points/g001-c0002.json" ] && { echo "FAIL: crashed point has a file"; fail=1; }
ls "$scratch/o/points" | grep -q '\.tmp' && { echo "FAIL: temporaries left"; fail=1; }
rows=$(tail -n +2 "$scratch/o/summary.csv" | wc -l)
[ "$rows" -eq 5 ] || { echo "FAIL: $rows summary rows, want 5"; fail=1; }
# The same sweep resumed without the hook completes it.
"$bin" sweep "$exp" --chips 1,2,4 --timing-only --set workload.seq_len=8 \
    --sweep system.topology.fan_in=2,4 -j 2 --resume --out "$scratch/o" >"$scratch/out2" 2>&1 \
    || { echo "FAIL: resume after the crash"; cat "$scratch/out2"; fail=1; }
grep -q "1 of 6 points ran (0 failed, 5 resumed)" "$scratch/out2" || { echo "FAIL: resume ran more than the missing point"; cat "$scratch/out2"; fail=1; }
exit $fail
