#!/usr/bin/env bash
# workload.partitioner: replicate, the oracle. Through the SystemC data path:
# - --check passes at several chip counts (every chip computes the whole
#   model; the root's output equals the whole model on one chip), and the
#   tensor split at the same counts passes the same check;
# - its timing is the 1-chip timing on every chip: the same cycles and the
#   same per-component busy and critical-path times at every chip count,
#   N times the 1-chip energy and off-chip bytes, nothing on the links.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
small=(--set workload.seq_len=8 --set workload.blocks=2)
fail=0
for p in replicate tensor; do
    for n in 1 2 3 4; do
        out=$("$bin" run "$exp" --chips "$n" "${small[@]}" --set workload.partitioner=$p --check 2>&1)
        rc=$?
        if [ $rc -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then
            echo "FAIL: $p --chips $n --check (rc $rc)"; echo "$out"; fail=1
        else echo "ok   $p --chips $n --check"; fi
    done
done
# MobileBERT splits over at most its 4 heads; replicate over any count.
mb=$src/configs/experiments/paper/mobilebert.yaml
out=$("$bin" run "$mb" --chips 6 --set workload.seq_len=8 --set workload.blocks=1 \
      --set workload.partitioner=replicate --check 2>&1)
if [ $? -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then
    echo "FAIL: mobilebert replicated on 6 chips"; echo "$out"; fail=1
else echo "ok   mobilebert replicated on 6 chips"; fi

if ! "$bin" sweep "$exp" "${small[@]}" --set workload.partitioner=replicate --chips 1,2,5 \
        --timing-only -j 2 --out "$scratch/sweep" >"$scratch/sweep.log" 2>&1; then
    echo "FAIL: replicate sweep"; cat "$scratch/sweep.log"; exit 1
fi
# Every row against the 1-chip row, column by column (by header name).
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{ for (i = 1; i <= NF; i++) v[$(col["chips"]), i] = $i; rows[NR] = $(col["chips"]) }
function rel(a, b) { return b == 0 ? (a == 0 ? 0 : 1) : (a - b) / b }
END {
    bad = 0
    for (r in rows) {
        n = rows[r]
        if (v[n, col["cycles"]] != v[1, col["cycles"]]) { print "FAIL " n " chips: cycles " v[n, col["cycles"]] " vs 1 chip " v[1, col["cycles"]]; bad = 1 }
        if (v[n, col["link_bytes"]] != 0) { print "FAIL " n " chips: link bytes " v[n, col["link_bytes"]]; bad = 1 }
        if (v[n, col["offchip_bytes"]] != n * v[1, col["offchip_bytes"]]) { print "FAIL " n " chips: off-chip bytes not " n " x"; bad = 1 }
        e = rel(v[n, col["energy_mj"]], n * v[1, col["energy_mj"]])
        if (e > 1e-6 || e < -1e-6) { print "FAIL " n " chips: energy " v[n, col["energy_mj"]] " not " n " x " v[1, col["energy_mj"]]; bad = 1 }
        for (k in col) if (k ~ /^(busy|time)_/ && v[n, col[k]] != v[1, col[k]]) {
            print "FAIL " n " chips: " k " " v[n, col[k]] " vs 1 chip " v[1, col[k]]; bad = 1
        }
    }
    if (length(rows) != 3) { print "FAIL: " length(rows) " rows, want 3"; bad = 1 }
    if (!bad) print "ok   replicate timing = 1-chip timing on every chip (1, 2, 5 chips)"
    exit bad
}' "$scratch/sweep/summary.csv" || fail=1
exit $fail
