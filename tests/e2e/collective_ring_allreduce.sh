#!/usr/bin/env bash
# system.topology.kind: ring_allreduce, the reduce-scatter + all-gather ring:
# - --check is bit-exact on 1..64 chips (powers of two and not), TinyLlama,
#   the grouped-query SmolLM2 and MobileBERT;
# - every chip runs the merges itself: --dump-program shows the norms (two
#   per block and the final one) on every chip, and no broadcast but the
#   input's, where the reduction tree has them on the root only;
# - the payload is the closed form of a ring: each of the 2 all-reduces per
#   block moves 2(n-1) int32 vectors, plus the input broadcast's (n-1) int8
#   vectors (the tree: (n-1) x (int32 + int8) per reduction and broadcast);
# - a ring uses one link out and one in per chip: phy shared gives exactly
#   the figures of per_peer;
# - system.links: every ring pair named with a model is exactly system.link
#   set to it; `level` is refused (tests/bad_configs/links_level_ring_allreduce.yaml).
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
E=512 L=2
printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nsystem:\n  topology: {kind: ring_allreduce}\nworkload: {seq_len: 8, blocks: %s}\n' \
    "$src" "$L" >"$scratch/ring.yaml"
printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nworkload: {seq_len: 8, blocks: %s}\n' \
    "$src" "$L" >"$scratch/tree.yaml"

# bit-exact, and the ring's payload per chip count (column 12: link_bytes)
chips=1,2,3,5,7,8,16,33,64
"$bin" sweep "$scratch/ring.yaml" --chips $chips --check -j 2 --out "$scratch/sweep" >/dev/null 2>"$scratch/sweep.err" ||
    { echo "FAIL ring sweep --check: exit $?"; cat "$scratch/sweep.err"; fail=1; }
"$bin" sweep "$scratch/tree.yaml" --chips 8 --timing-only --out "$scratch/tree_sweep" >/dev/null 2>&1 ||
    { echo "FAIL tree sweep"; fail=1; }
rows=0
while IFS=, read -r n bytes check; do
    rows=$((rows + 1))
    want=$(( (n - 1) * (2 * L * 2 * 4 * E + E) ))
    [ "$bytes" = "$want" ] || { echo "FAIL $n chips: link_bytes $bytes, want $want"; fail=1; }
    [ "$check" = pass ] || { echo "FAIL $n chips: check '$check'"; fail=1; }
done < <(awk -F, 'NR > 1 {print $4 "," $12 "," $16}' "$scratch/sweep/summary.csv")
[ $rows -eq 9 ] || { echo "FAIL $rows rows, want 9"; fail=1; }
tree_bytes=$(awk -F, 'NR == 2 {print $12}' "$scratch/tree_sweep/summary.csv")
[ "$tree_bytes" = $(( 7 * 2 * L * (4 * E + E) )) ] ||
    { echo "FAIL tree 8 chips: link_bytes $tree_bytes, want $(( 7 * 2 * L * (4 * E + E) ))"; fail=1; }

for model in "smollm2-135m" "mobilebert"; do
    case $model in
        mobilebert) base=mobilebert.yaml; list=(1 2 3 4); set_mode=(--set workload.seq_len=8) ;;
        *) base=tinyllama_ar.yaml; list=(1 2 3 4 5 9 16); set_mode=(--set workload.seq_len=8) ;;
    esac
    printf 'base: %s/configs/experiments/paper/%s\nsystem:\n  topology: {kind: ring_allreduce}\nworkload: {model: %s, blocks: 1}\n' \
        "$src" "$base" "$model" >"$scratch/$model.yaml"
    for n in "${list[@]}"; do
        out=$("$bin" run "$scratch/$model.yaml" --chips "$n" "${set_mode[@]}" --check 2>&1)
        [ $? -eq 0 ] && grep -q "check: passed" <<<"$out" || { echo "FAIL $model $n chips --check"; echo "$out" | tail -3; fail=1; }
    done
done

# merges on every chip; broadcasts only of the input
per_chip() { # FILE OP: how many OP ops each chip's program has, one count per line
    awk -v op="$2" '/^  chip [0-9]+:/ {if (c != "") print n; c = $2; n = 0} $1 == "op" && $3 == op {n++} END {print n}' "$1"
}
"$bin" run "$scratch/ring.yaml" --chips 4 --timing-only --dump-program >"$scratch/ring.dump" 2>&1
"$bin" run "$scratch/tree.yaml" --chips 4 --timing-only --dump-program >"$scratch/tree.dump" 2>&1
[ "$(per_chip "$scratch/ring.dump" norm | sort -u)" = $((2 * L + 1)) ] ||
    { echo "FAIL ring: norms per chip $(per_chip "$scratch/ring.dump" norm | tr '\n' ' '), want $((2 * L + 1)) on each"; fail=1; }
[ "$(per_chip "$scratch/tree.dump" norm | tr '\n' ' ')" = "$((2 * L + 1)) 0 0 0 " ] ||
    { echo "FAIL tree: norms per chip $(per_chip "$scratch/tree.dump" norm | tr '\n' ' '), want them on chip 0 only"; fail=1; }
grep -q "input.bcast" "$scratch/ring.dump" && ! grep -q "attn.bcast\|ffn.bcast" "$scratch/ring.dump" ||
    { echo "FAIL ring: broadcasts other than the input's"; fail=1; }

# one link out, one in: shared PHYs change nothing
figures() { grep -v "wall$"; }
"$bin" run "$scratch/ring.yaml" --chips 8 --timing-only | figures >"$scratch/per_peer.txt"
"$bin" run "$scratch/ring.yaml" --chips 8 --timing-only --set system.topology.phy=shared | figures >"$scratch/shared.txt"
cmp -s "$scratch/per_peer.txt" "$scratch/shared.txt" || { echo "FAIL ring: phy shared differs from per_peer"; diff "$scratch/per_peer.txt" "$scratch/shared.txt" | head; fail=1; }

# every ring pair by name == the default link
pairs="[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 0]"
{ sed -n '1,3p' "$scratch/ring.yaml"
  printf '  links:\n    - {between: [%s], link: !include %s/configs/links/serdes.yaml}\n' "$pairs" "$src"
  sed -n '4,$p' "$scratch/ring.yaml"; } >"$scratch/pairs.yaml"
"$bin" run "$scratch/pairs.yaml" --chips 8 --timing-only | figures >"$scratch/pairs.txt" ||
    { echo "FAIL pairs run"; fail=1; }
"$bin" run "$scratch/ring.yaml" --chips 8 --timing-only \
    --set "system.link=!include $src/configs/links/serdes.yaml" | figures >"$scratch/serdes.txt"
cmp -s "$scratch/pairs.txt" "$scratch/serdes.txt" || { echo "FAIL every ring pair on serdes differs from system.link: serdes"; diff "$scratch/pairs.txt" "$scratch/serdes.txt" | head; fail=1; }
cmp -s "$scratch/pairs.txt" "$scratch/per_peer.txt" && { echo "FAIL serdes and the default link give the same figures: the comparison proves nothing"; fail=1; }
[ $fail -eq 0 ] && echo "ok   ring_allreduce: bit-exact, merges on every chip, ring payload, shared = per_peer, pairs"
exit $fail
