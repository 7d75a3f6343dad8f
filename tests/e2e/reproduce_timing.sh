#!/usr/bin/env bash
# mcusim reproduce --timing-only: one folder with the summary files per
# paper experiment and a README gathering them. Exit 0, or 1 when some
# point of some experiment failed to simulate; never a usage error.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
MCUSIM_HOME=$src "$bin" reproduce --timing-only -j 2 --out "$scratch/r" >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -le 1 ] || { echo "FAIL: rc $rc"; cat "$scratch/err"; fail=1; }
[ -s "$scratch/r/README.md" ] || { echo "FAIL: no README.md"; exit 1; }
for y in "$src"/configs/experiments/paper/*.yaml; do
    name=$(sed -n 's/^name: *\([A-Za-z0-9_.-]*\).*/\1/p' "$y" | head -1)
    [ -s "$scratch/r/$name/summary.csv" ] || { echo "FAIL: $name/summary.csv missing"; fail=1; }
    grep -q "^## $name\$" "$scratch/r/README.md" || { echo "FAIL: README has no section $name"; fail=1; }
done
exit $fail
