#!/usr/bin/env bash
# mcusim reproduce --timing-only: per set (paper, paper-datasheet) one folder
# with the summary files per experiment, the calibration point's
# sensitivity, and a README gathering them. Exit 0, or 1 when some
# point of some experiment failed to simulate; never a usage error.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
MCUSIM_HOME=$src "$bin" reproduce --timing-only -j 2 --out "$scratch/r" >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -le 1 ] || { echo "FAIL: rc $rc"; cat "$scratch/err"; fail=1; }
for set in paper paper-datasheet; do
    [ -s "$scratch/r/$set/README.md" ] || { echo "FAIL: no $set/README.md"; fail=1; continue; }
    for y in "$src"/configs/experiments/$set/*.yaml; do
        name=$("$bin" validate "$y" | sed -n 's/^name: *"\{0,1\}\([A-Za-z0-9_.-]*\).*/\1/p' | head -1)
        [ -n "$name" ] && [ -s "$scratch/r/$set/$name/summary.csv" ] || { echo "FAIL: $set/$name/summary.csv missing"; fail=1; }
        grep -q "^## $name\$" "$scratch/r/$set/README.md" || { echo "FAIL: $set/README has no section $name"; fail=1; }
    done
    # the calibration point's sensitivity, CSV and tornado plots
    s=$scratch/r/$set/sensitivity-tinyllama_ar-c8
    [ -s "$s/sensitivity.csv" ] && ls "$s"/tornado_*.svg >/dev/null 2>&1 ||
        { echo "FAIL: $set: no sensitivity CSV and tornado plots"; fail=1; }
done
exit $fail
