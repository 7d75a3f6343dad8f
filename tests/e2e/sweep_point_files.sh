#!/usr/bin/env bash
# Point files are validated, never trusted, and never deleted:
#  - edited (negative energy, 5 cycles), copied over another point, or
#    truncated files are re-run by --resume, each named with why on one
#    line, and the summary equals a fresh sweep's;
#  - a sweep over fewer chips keeps the other points' files untouched and
#    leaves them out of its summary (named in summary.md and on stderr);
#    resuming the wider sweep then reuses them all;
#  - a bad file of another shard in the same folder is left out of the
#    summary with a note, never summarised.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
args=(--timing-only --set workload.seq_len=8 -j 2)
fail=0
x=$scratch/x
"$bin" sweep "$exp" --chips 1,2,4,8,16 "${args[@]}" --out "$x" >/dev/null 2>&1 || { echo "FAIL: first sweep"; exit 1; }
"$bin" sweep "$exp" --chips 1,2,4,8,16 "${args[@]}" --out "$scratch/fresh" >/dev/null 2>&1 || { echo "FAIL: fresh sweep"; exit 1; }

# tamper with four points in four ways
p=$x/points
sed -i 's/^  "energy_j": /  "energy_j": -/' "$p/c0002.json"
sed -i 's/^  "cycles": [0-9]*/  "cycles": 5/' "$p/c0008.json"
cp "$p/c0004.json" "$p/c0016.json"
head -c 300 "$p/c0001.json" >"$p/c0001.tmp" && mv "$p/c0001.tmp" "$p/c0001.json"
"$bin" sweep "$exp" --chips 1,2,4,8,16 "${args[@]}" --resume --out "$x" >"$x.out" 2>"$x.err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: resume exit $rc"; cat "$x.err"; fail=1; }
grep -q "4 of 5 points ran (0 failed, 1 resumed)" "$x.out" || { echo "FAIL: resume did not re-run the 4 bad points"; cat "$x.out"; fail=1; }
for want in "c0002.json: energy_j -" "c0008.json: " "c0016.json: holds point c0004 (chips=4), not c0016" \
            "c0001.json: not a complete point file"; do
    grep -qF -- "$want" "$x.err" || { echo "FAIL: no note '$want'"; cat "$x.err"; fail=1; }
done
[ "$(grep -c 're-running point' "$x.err")" -eq 4 ] || { echo "FAIL: want one line per bad file"; cat "$x.err"; fail=1; }
for f in summary.csv summary.json summary.md; do
    cmp -s "$x/$f" "$scratch/fresh/$f" || { echo "FAIL: $f after re-running bad points differs from a fresh sweep"; fail=1; }
done

# a narrower sweep deletes nothing and summarises only its plan
before=$(cd "$p" && sha256sum c0001.json c0002.json c0004.json c0008.json)
"$bin" sweep "$exp" --chips 16 "${args[@]}" --resume --out "$x" >"$x.out2" 2>"$x.err2" || { echo "FAIL: narrow sweep"; cat "$x.err2"; fail=1; }
after=$(cd "$p" && sha256sum c0001.json c0002.json c0004.json c0008.json 2>&1)
[ "$before" = "$after" ] || { echo "FAIL: the narrow sweep touched other points' files"; echo "$after"; fail=1; }
[ "$(tail -n +2 "$x/summary.csv" | wc -l)" -eq 1 ] || { echo "FAIL: the narrow summary has other rows"; fail=1; }
[ "$(grep -c "left out of the summary: .*not in this sweep's plan" "$x.err2")" -eq 4 ] || { echo "FAIL: stale points not named on stderr"; cat "$x.err2"; fail=1; }
grep -q "c0008.json: not in this sweep's plan" "$x/summary.md" || { echo "FAIL: summary.md does not name the points left out"; fail=1; }
"$bin" sweep "$exp" --chips 1,2,4,8,16 "${args[@]}" --resume --out "$x" >"$x.out3" 2>&1
grep -q "0 of 5 points ran (0 failed, 5 resumed)" "$x.out3" || { echo "FAIL: the kept points were not reused"; cat "$x.out3"; fail=1; }
cmp -s "$x/summary.csv" "$scratch/fresh/summary.csv" || { echo "FAIL: summary after widening again differs"; fail=1; }

# shards into one folder: a bad point of the other shard is left out, not summarised
s=$scratch/shared
"$bin" sweep "$exp" --chips 1,2,4,8 "${args[@]}" --shard 1/2 --out "$s" >/dev/null 2>&1
sed -i 's/^  "energy_j": /  "energy_j": -/' "$s/points/c0004.json"
"$bin" sweep "$exp" --chips 1,2,4,8 "${args[@]}" --shard 2/2 --out "$s" >/dev/null 2>"$s.err"
grep -q "left out of the summary: .*c0004.json: energy_j -" "$s.err" || { echo "FAIL: bad point of the other shard not named"; cat "$s.err"; fail=1; }
grep -q "partial summary: 3 of 4 planned points (missing c0004)" "$s.err" || { echo "FAIL: no partial note"; cat "$s.err"; fail=1; }
awk -F, 'NR > 1 && $4 == 4' "$s/summary.csv" | grep -q . && { echo "FAIL: a bad point was summarised"; fail=1; }
exit $fail
