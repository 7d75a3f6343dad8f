#!/usr/bin/env bash
# Progress on a terminal: a sweep whose stderr is a terminal shows points
# done/total, the rate and the ETA there; with stderr redirected to a file
# it prints no progress at all.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
if ! command -v script >/dev/null; then echo "FAIL: 'script' (util-linux) is needed to give the sweep a terminal"; exit 1; fi
cmd="'$bin' sweep '$exp' --chips 1,2,4 --set workload.seq_len=8 -j 1 --out '$scratch/tty' 2>&1 >/dev/null"
script -qec "$cmd" /dev/null >"$scratch/tty.log" 2>&1 || { echo "FAIL: sweep under a terminal"; cat "$scratch/tty.log"; fail=1; }
grep -q "mcusim sweep: 3/3 points, [0-9.]* points/s" "$scratch/tty.log" || { echo "FAIL: no done/total and rate on a terminal"; cat -v "$scratch/tty.log"; fail=1; }
grep -q "mcusim sweep: [12]/3 points, .*ETA [0-9.]* s" "$scratch/tty.log" || { echo "FAIL: no ETA on a terminal"; cat -v "$scratch/tty.log"; fail=1; }
"$bin" sweep "$exp" --chips 1,2,4 --set workload.seq_len=8 -j 1 --out "$scratch/file" >/dev/null 2>"$scratch/file.err" || { echo "FAIL: sweep"; fail=1; }
# (only the progress is checked for: a sanitized build may warn on stderr)
grep -q "points/s\|ETA\|$(printf '\r')" "$scratch/file.err" && { echo "FAIL: progress printed when stderr is a file:"; cat -v "$scratch/file.err"; fail=1; }
exit $fail
