#!/usr/bin/env bash
# mcusim reproduce --timing-only: per set (paper, paper-datasheet, beyond)
# one folder with the summary files per experiment and a README gathering
# them; the paper sets with the calibration point's sensitivity, beyond
# with its not-applicable points listed (a pipeline beyond its blocks).
# Exit 0, or 1 when some point of some experiment failed to simulate; never
# a usage error.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
MCUSIM_HOME=$src "$bin" reproduce --timing-only -j 2 --out "$scratch/r" >"$scratch/out" 2>"$scratch/err"
rc=$?
[ $rc -le 1 ] || { echo "FAIL: rc $rc"; cat "$scratch/err"; fail=1; }
for set in paper paper-datasheet beyond; do
    [ -s "$scratch/r/$set/README.md" ] || { echo "FAIL: no $set/README.md"; fail=1; continue; }
    for y in "$src"/configs/experiments/$set/*.yaml; do
        name=$("$bin" validate "$y" | sed -n 's/^name: *"\{0,1\}\([A-Za-z0-9_.-]*\).*/\1/p' | head -1)
        [ -n "$name" ] && [ -s "$scratch/r/$set/$name/summary.csv" ] || { echo "FAIL: $set/$name/summary.csv missing"; fail=1; }
        grep -q "^## $name\$" "$scratch/r/$set/README.md" || { echo "FAIL: $set/README has no section $name"; fail=1; }
    done
    if [ "$set" = beyond ]; then
        # the comparison of partitioners: no failure, the pipeline's 16..64-chip
        # points not applicable, every partitioner's rows with their throughput
        grep -q "partitioners_tinyllama_ar" "$scratch/r/beyond/README.md" || { echo "FAIL: beyond/README"; fail=1; }
        grep -q '`g001-c0016 (workload.partitioner=pipeline): pipeline: 8 blocks cannot be split over 16 chips' \
            "$scratch/r/beyond/README.md" || { echo "FAIL: beyond/README lists no not-applicable point"; fail=1; }
        grep -q "Incomplete" "$scratch/r/beyond/README.md" && { echo "FAIL: beyond incomplete"; fail=1; }
        for p in tensor pipeline hybrid; do
            grep -q "workload.partitioner=$p" "$scratch/r/beyond/partitioners_tinyllama_prompt/summary.csv" ||
                { echo "FAIL: beyond: no $p rows"; fail=1; }
        done
        grep -q "tokens/s" "$scratch/r/beyond/partitioners_tinyllama_ar/summary.md" || { echo "FAIL: no tokens/s column"; fail=1; }
        ls "$scratch/r/beyond" | grep -q sensitivity && { echo "FAIL: beyond has a sensitivity"; fail=1; }
        continue
    fi
    # the calibration point's sensitivity, CSV and tornado plots
    s=$scratch/r/$set/sensitivity-tinyllama_ar-c8
    [ -s "$s/sensitivity.csv" ] && ls "$s"/tornado_*.svg >/dev/null 2>&1 ||
        { echo "FAIL: $set: no sensitivity CSV and tornado plots"; fail=1; }
done
exit $fail
