#!/usr/bin/env bash
# The shipped calibration (docs/FIDELITY.md):
# - `mcusim calibrate configs/calibration/paper_tinyllama_ar.yaml` re-derives
#   configs/calibration/siracusa_paper.yaml byte for byte (run on a copy of
#   configs/, so the tree is never written);
# - the paper set's TinyLlama-42M autoregressive experiment, with that
#   overlay, lands every published figure of its reference block within 10 %
#   (the figures are read from the experiment's reference block and
#   compared by the report; none is written here);
# - the datasheet variant is a different node: some figure moves.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0

cp -r "$src/configs" "$scratch/configs"
cal=$scratch/configs/calibration
rm "$cal/siracusa_paper.yaml"
if ! "$bin" calibrate "$cal/paper_tinyllama_ar.yaml" -j 2 >"$scratch/cal.out" 2>"$scratch/cal.err"; then
    echo "FAIL: calibrate exit $?"; cat "$scratch/cal.err"; fail=1
elif ! cmp -s "$cal/siracusa_paper.yaml" "$src/configs/calibration/siracusa_paper.yaml"; then
    echo "FAIL: the re-derived overlay differs from the shipped one:"
    diff "$src/configs/calibration/siracusa_paper.yaml" "$cal/siracusa_paper.yaml" | head -20; fail=1
else
    echo "ok   calibrate re-derives configs/calibration/siracusa_paper.yaml byte for byte"
fi

# every row of "Simulated against published": |error| <= 10 %
within() { # DIR: prints the rows, fails if one is off by more than 10 % or none is there
    awk -F'|' '/^## Simulated against published/ { t = 1; next }
               t && /^\| [0-9]/ { n++; e = $6 + 0; print "     " $2 $3 "sim" $4 "pub" $5 "err" $6
                                  if (e > 10 || e < -10) bad = 1 }
               t && /^$/ && n { t = 0 }
               END { exit !(n > 0 && !bad) }' "$1/summary.md"
}
for set in paper paper-datasheet; do
    "$bin" sweep "$src/configs/experiments/$set/tinyllama_ar.yaml" --chips 1,8 --timing-only -j 2 \
        --out "$scratch/$set" >/dev/null 2>"$scratch/$set.err" ||
        { echo "FAIL: $set sweep"; cat "$scratch/$set.err"; fail=1; }
done
if within "$scratch/paper"; then echo "ok   paper/tinyllama_ar: every published figure within 10 %"
else echo "FAIL: paper/tinyllama_ar: a published figure is off by more than 10 %"; fail=1; fi
if cmp -s <(sed -n '/^| chips | lat/,/^$/p' "$scratch/paper/summary.md") \
          <(sed -n '/^| chips | lat/,/^$/p' "$scratch/paper-datasheet/summary.md"); then
    echo "FAIL: the datasheet variant gives the calibrated figures"; fail=1
else
    echo "ok   the datasheet variant differs"
fi
exit $fail
