#!/usr/bin/env bash
# --stats ops as a user meets it (the invariants themselves are checked in
# tests/unit/test_sim_opstats.c):
# - `run --stats ops` prints the top ops, `--out` adds ops.csv, a top-10 table
#   in summary.md and README.md explaining its columns; a bad --stats value
#   is a usage error;
# - `sweep --stats ops` writes each point's rows to ops/<id>.json and one
#   ops.csv for the sweep whose rows, per point and chip, add up to the
#   point's cycles in summary.csv (summed here with awk);
# - shards joined by merge give the unsharded ops.csv byte for byte;
# - a point resumed from a run without --stats ops, or whose ops file was
#   tampered with, is named and left out, never mixed in.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
small=(--timing-only --set workload.seq_len=8 --set workload.blocks=2)
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$bin" run "$exp" --chips 4 "${small[@]}" --stats ops >"$scratch/run.out" 2>&1
check "run --stats ops prints the top ops" '[ $? -eq 0 ] && grep -q "top ops by time" "$scratch/run.out"'
"$bin" run "$exp" --chips 4 "${small[@]}" --stats opps >/dev/null 2>"$scratch/bad.err"
check "--stats opps: exit 2, naming the kinds" \
  '[ $? -eq 2 ] && grep -q "mcusim run: --stats .opps.: unknown, expected ops" "$scratch/bad.err"'

"$bin" run "$exp" --chips 4 "${small[@]}" --stats ops --out "$scratch/run" >/dev/null 2>&1
check "run --out writes ops.csv, a top-10 table and README.md" \
  '[ -s "$scratch/run/ops.csv" ] && head -1 "$scratch/run/ops.csv" | grep -q "^point,sweep,chips,chip,row," &&
   grep -q "^## Top 10 ops by time" "$scratch/run/summary.md" && grep -q "^### 4 chips" "$scratch/run/summary.md" &&
   grep -q "## Columns of ops.csv" "$scratch/run/README.md"'

# rows per (point, chip) add up to the point's cycles (summary.csv)
sums_match() { # DIR
    awk -F, 'NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if ($i == "cycles") c = i; next }
                         cyc[$4] = $c; next }
             FNR == 1 { for (i = 1; i <= NF; i++) { if ($i == "cycles") k = i; if ($i == "chips") n = i }; next }
             { sum[$n " " $4] += $k; chips[$n] = 1 }
             END { bad = 0; rows = 0
                   for (key in sum) { split(key, p, " "); rows++
                                      if (sum[key] != cyc[p[1]]) { print "chips " p[1] " chip " p[2] ": " sum[key] " != " cyc[p[1]]; bad = 1 } }
                   exit bad || rows == 0 }' "$1/summary.csv" "$1/ops.csv"
}
args=(--chips 1,2,4 "${small[@]}" -j 2 --stats ops)
"$bin" sweep "$exp" "${args[@]}" --out "$scratch/all" >/dev/null 2>"$scratch/all.err"
check "sweep --stats ops: a rows file per point and one ops.csv" \
  '[ $? -eq 0 ] && [ $(ls "$scratch/all/ops" | wc -l) -eq 3 ] &&
   [ $(cut -d, -f1 "$scratch/all/ops.csv" | sort -u | wc -l) -eq 4 ]'
check "... whose rows add up to every point's cycles on every chip" 'sums_match "$scratch/all"'
check "... and a top-10 table per chip count" \
  '[ $(grep -c "^### [124] chips\?$" "$scratch/all/summary.md") -eq 3 ]'

"$bin" sweep "$exp" "${args[@]}" --shard 1/2 --out "$scratch/s1" >/dev/null 2>&1
"$bin" sweep "$exp" "${args[@]}" --shard 2/2 --out "$scratch/s2" >/dev/null 2>&1
"$bin" merge --out "$scratch/merged" "$scratch/s1" "$scratch/s2" >/dev/null 2>&1
check "shards merged: ops.csv and summary.md as the unsharded sweep's" \
  'cmp -s "$scratch/all/ops.csv" "$scratch/merged/ops.csv" && cmp -s "$scratch/all/summary.md" "$scratch/merged/summary.md"'

# resumed without --stats ops, with one more chip count: that point has no rows
"$bin" sweep "$exp" --chips 1,2,4,8 "${small[@]}" -j 2 --resume --out "$scratch/all" >/dev/null 2>&1
check "a point simulated without --stats ops is named, the others stay in ops.csv" \
  'grep "Points without per-op rows" "$scratch/all/summary.md" | grep -q "c0008" &&
   ! grep -q "^c0008," "$scratch/all/ops.csv" && grep -q "^c0004," "$scratch/all/ops.csv"'
# a tampered rows file: one cycle moved (its stretch no longer matches its split)
sed -i '0,/"op", 0, "norm"/s/\("op", 0, "norm", "[^"]*", 0, \)\([0-9]*\)/\1\2\2/' "$scratch/all/ops/c0002.json"
"$bin" sweep "$exp" --chips 1,2,4,8 "${small[@]}" -j 2 --resume --out "$scratch/all" >/dev/null 2>"$scratch/tamper.err"
check "a tampered rows file is left out, with its reason" \
  'grep -q "left out of ops.csv: .*ops/c0002.json: " "$scratch/tamper.err" && ! grep -q "^c0002," "$scratch/all/ops.csv"'
exit $fail
