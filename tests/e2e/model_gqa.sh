#!/usr/bin/env bash
# Grouped-query attention with the shipped SmolLM2-135M (9 query heads over
# 3 K/V heads), through the command line:
# - --check is bit-exact on 1..64 chips (below, at and above the 3 K/V
#   heads; a sweep, then both collectives at a few counts);
# - chips beyond the K/V heads hold no K/V cache (per-chip kv_bytes);
# - validate prints the K/V heads it resolved;
# - the whole model on a node whose L2 cannot hold the HyperRAM staging
#   buffer beside the activations is refused with the placement error
#   (exit 1, one line, nothing on stdout).
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nworkload: {model: smollm2-135m, seq_len: 8, blocks: 2}\n' \
    "$src" >"$scratch/gqa.yaml"

"$bin" sweep "$scratch/gqa.yaml" --chips 1,2,3,4,5,7,9,16,64 --check -j 2 --out "$scratch/sweep" \
    >/dev/null 2>"$scratch/sweep.err" || { echo "FAIL sweep --check: exit $?"; cat "$scratch/sweep.err"; fail=1; }
[ "$(awk -F, 'NR > 1 && $16 == "pass"' "$scratch/sweep/summary.csv" | wc -l)" -eq 9 ] ||
    { echo "FAIL sweep: not 9 rows passing --check"; fail=1; }
for kind in reduction_tree ring_allreduce; do
    for n in 2 6; do
        out=$("$bin" run "$scratch/gqa.yaml" --chips $n --check --set workload.mode=prompt \
              --set workload.head=true --set system.topology.kind=$kind 2>&1)
        [ $? -eq 0 ] && grep -q "check: passed" <<<"$out" ||
            { echo "FAIL $kind $n chips prompt + head --check"; echo "$out" | tail -2; fail=1; }
    done
done

# 5 chips: K/V heads on chips 0..2 only (each chip's kv_bytes in its point file)
"$bin" run "$scratch/gqa.yaml" --chips 5 --timing-only --out "$scratch/five" >/dev/null 2>&1 ||
    { echo "FAIL 5-chip run"; fail=1; }
kv=$(grep -o '"kv_bytes": *[0-9]*' "$scratch/five/points/c0005.json" | grep -o '[0-9]*$' | tr '\n' ' ')
set -- $kv
{ [ $# -eq 5 ] && [ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ] && [ "$4" -eq 0 ] && [ "$5" -eq 0 ] &&
  [ "$1" -eq "$2" ] && [ "$2" -eq "$3" ]; } ||
    { echo "FAIL KV bytes per chip '$kv': want three equal non-zero, then 0 0"; fail=1; }

"$bin" validate "$scratch/gqa.yaml" >"$scratch/valid.txt" 2>&1 || { echo "FAIL validate"; fail=1; }
grep -q "^    n_heads: 9 " "$scratch/valid.txt" && grep -q "^    n_kv_heads: 3 " "$scratch/valid.txt" ||
    { echo "FAIL validate does not print n_heads 9, n_kv_heads 3"; fail=1; }

printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nworkload: {model: smollm2-135m}\n' \
    "$src" >"$scratch/full.yaml"
"$bin" run "$scratch/full.yaml" --chips 2 --timing-only --set "system.node.l2.size=150 KiB" \
    >"$scratch/tight.out" 2>"$scratch/tight.err"
rc=$?
if [ $rc -ne 1 ] || [ -s "$scratch/tight.out" ] || [ "$(wc -l <"$scratch/tight.err")" -ne 1 ] ||
   ! grep -q "chip [01]: activations do not fit L2 even spilled to HyperRAM: .* no room for the 65536 B HyperRAM staging buffer" "$scratch/tight.err"; then
    echo "FAIL tight L2: exit $rc, want 1 and the placement error"; cat "$scratch/tight.err"; fail=1
fi
[ $fail -eq 0 ] && echo "ok   grouped-query attention: SmolLM2-135M bit-exact 1..64 chips, whole groups, placement error"
exit $fail
