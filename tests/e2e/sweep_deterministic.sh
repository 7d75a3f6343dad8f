#!/usr/bin/env bash
# mcusim sweep: two runs of the same sweep give byte-identical summary files
# (wall time never enters them), the CSV starts with exactly the contract
# columns, and the 1-chip row has speedup 1.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
args=(--chips 1,2,4 --timing-only --set workload.seq_len=8 -j 2)
fail=0
"$bin" sweep "$exp" "${args[@]}" --out "$scratch/a" >/dev/null || { echo "FAIL: first sweep"; exit 1; }
"$bin" sweep "$exp" "${args[@]}" --out "$scratch/b" >/dev/null || { echo "FAIL: second sweep"; exit 1; }
for f in summary.csv summary.json summary.md speedup.svg energy.svg edp.svg breakdown_time.svg breakdown_energy.svg; do
    cmp -s "$scratch/a/$f" "$scratch/b/$f" || { echo "FAIL: $f differs between two runs"; fail=1; }
done
contract="experiment,model,mode,chips,cycles,latency_ms,energy_mj,edp_mj_ms,speedup,edp_gain,offchip_bytes,link_bytes"
head -1 "$scratch/a/summary.csv" | cut -d, -f1-12 | grep -qx "$contract" || { echo "FAIL: CSV header"; head -1 "$scratch/a/summary.csv"; fail=1; }
rows=$(tail -n +2 "$scratch/a/summary.csv" | wc -l)
[ "$rows" -eq 3 ] || { echo "FAIL: $rows rows, want 3"; fail=1; }
one=$(awk -F, 'NR > 1 && $4 == 1 {print $9}' "$scratch/a/summary.csv")
[ "$one" = "1" ] || { echo "FAIL: 1-chip speedup '$one'"; fail=1; }
ls "$scratch/a" | grep -q '\.tmp' && { echo "FAIL: temporary files left"; fail=1; }
exit $fail
