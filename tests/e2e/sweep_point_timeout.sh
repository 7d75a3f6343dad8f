#!/usr/bin/env bash
# A point that never returns (test hook MCUSIM_TEST_HANG_POINT=<id>: its
# process loops forever, like a link plug-in stuck in a loop) is killed at
# --point-timeout, fails with a clear message, and does not hang the sweep:
# the other points finish, exit 1, no file of the stuck point, no
# temporaries. reproduce passes --point-timeout through to every sweep.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
t0=$SECONDS
MCUSIM_TEST_HANG_POINT=c0002 timeout 60 "$bin" sweep "$exp" --chips 1,2,4 --timing-only \
    --set workload.seq_len=8 -j 2 --point-timeout 1 --out "$scratch/o" >"$scratch/out" 2>"$scratch/err"
rc=$? took=$((SECONDS - t0))
[ $rc -eq 1 ] || { echo "FAIL: exit $rc, want 1 (124 = the sweep hung)"; cat "$scratch/err"; fail=1; }
[ $took -lt 30 ] || { echo "FAIL: took $took s with a 1 s point timeout"; fail=1; }
grep -q "point c0002 (chips=2, --set workload.seq_len=8) timed out: killed after 1 s (--point-timeout)" "$scratch/err" \
    || { echo "FAIL: no timeout message for the stuck point"; cat "$scratch/err"; fail=1; }
[ -e "$scratch/o/points/c0002.json" ] && { echo "FAIL: the stuck point has a file"; fail=1; }
[ -e "$scratch/o/points/c0001.json" ] && [ -e "$scratch/o/points/c0004.json" ] || { echo "FAIL: the other points did not finish"; fail=1; }
ls "$scratch/o/points" | grep -q '\.tmp' && { echo "FAIL: temporaries left"; fail=1; }

t0=$SECONDS
MCUSIM_TEST_HANG_POINT=c0002 MCUSIM_HOME=$src timeout 120 "$bin" reproduce --timing-only -j 2 \
    --point-timeout 1 --out "$scratch/r" >/dev/null 2>"$scratch/rerr"
rc=$? took=$((SECONDS - t0))
[ $rc -eq 1 ] || { echo "FAIL: reproduce exit $rc, want 1"; fail=1; }
n=$(grep -c "point c0002 (chips=2) timed out" "$scratch/rerr")
[ "$n" -eq "$(ls "$src"/configs/experiments/paper/*.yaml "$src"/configs/experiments/paper-datasheet/*.yaml | wc -l)" ] ||
    { echo "FAIL: reproduce: $n timeouts, want one per experiment of both sets"; cat "$scratch/rerr"; fail=1; }
exit $fail
