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
# --check can fail: one bit flipped on a link (a partial sum on its way up
# the reduction tree, or the reduced result on its way down) must be caught
# through the real SystemC data path, with exit 1 and the verdict printed.
for case in "2 1:0" "4 0:1" "8 5:4"; do
    set -- $case
    out=$(MCUSIM_TEST_FLIP_LINK_BIT=$2 "$bin" run "$exp" --chips "$1" "${small[@]}" --check 2>&1)
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q "check: FAILED" <<<"$out"; then
        echo "FAIL: flipped bit on link $2 at $1 chips not caught (rc $rc)"; echo "$out"; fail=1
    fi
done
# A link that carries nothing in this program leaves the check passing.
out=$(MCUSIM_TEST_FLIP_LINK_BIT=3:2 "$bin" run "$exp" --chips 2 "${small[@]}" --check 2>&1)
if [ $? -ne 0 ]; then echo "FAIL: flip on an absent link changed the run"; echo "$out"; fail=1; fi
# One shared RX/TX PHY per chip: same bits, never faster than a link per pair
# (the leader's group now arrives one transfer at a time).
lat() { grep -E "^  latency" | awk '{print $4}'; }
out=$("$bin" run "$exp" --chips 8 "${small[@]}" --check --set system.topology.phy=shared 2>&1)
if [ $? -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then
    echo "FAIL: shared PHY run"; echo "$out"; fail=1
fi
shared=$(lat <<<"$out")
peer=$("$bin" run "$exp" --chips 8 "${small[@]}" --timing-only | lat)
if ! awk -v s="$shared" -v p="$peer" 'BEGIN { exit !(s > p) }'; then
    echo "FAIL: shared PHY latency $shared ms not above per-peer $peer ms"; fail=1
fi
# Timing and energy must not depend on whether the arithmetic runs.
f=$("$bin" run "$exp" --chips 4 "${small[@]}" | grep -E "^  (latency|energy) ")
t=$("$bin" run "$exp" --chips 4 "${small[@]}" --timing-only | grep -E "^  (latency|energy) ")
if [ -z "$f" ] || [ "$f" != "$t" ]; then
    echo "FAIL: functional and timing-only differ:"; echo "$f"; echo "$t"; fail=1
fi
exit $fail
