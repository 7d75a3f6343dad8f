#!/usr/bin/env bash
# mcusim run --check: the N-chip SystemC output equals the 1-chip plain-C
# functional run bit for bit, for several chip counts; timing-only gives the
# same latency and energy as functional mode.
set -u
bin=$1 src=$2 scratch=$3
mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
small=(--set workload.seq_len=8)
fail=0
for n in 1 2 4 8; do
    out=$("$bin" run "$exp" --chips "$n" "${small[@]}" --check 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then
        echo "FAIL: --chips $n --check (rc $rc)"; echo "$out"; fail=1
    fi
done
# Timing and energy must not depend on whether the arithmetic runs.
f=$("$bin" run "$exp" --chips 4 "${small[@]}" | grep -E "^  (latency|energy) ")
t=$("$bin" run "$exp" --chips 4 "${small[@]}" --timing-only | grep -E "^  (latency|energy) ")
if [ -z "$f" ] || [ "$f" != "$t" ]; then
    echo "FAIL: functional and timing-only differ:"; echo "$f"; echo "$t"; fail=1
fi
exit $fail
