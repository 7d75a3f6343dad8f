#!/usr/bin/env bash
# The scope of one inference end to end: `run --check` with the embedding and
# the vocab-sliced LM head and with fewer blocks matches the 1-chip run bit for
# bit (and a corrupted link payload is still caught); `run` and `validate`
# show the scope and the keys; a sweep over workload.blocks states each
# point's scope in summary.csv (after the contract columns), the point files,
# summary.json, summary.md and every plot.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
ar=$src/configs/experiments/paper/tinyllama_ar.yaml
prompt=$src/configs/experiments/paper/tinyllama_prompt.yaml
fail=0
bad() { echo "FAIL: $*"; fail=1; }

run_check() { # WANT_SCOPE YAML CHIPS SET...
    local want=$1 yaml=$2 n=$3; shift 3
    local out
    out=$("$bin" run "$yaml" --chips "$n" --check "$@" 2>&1)
    local rc=$?
    if [ $rc -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then
        bad "--chips $n $* (rc $rc)"; echo "$out"
    elif ! grep -qxF "  scope     $want" <<<"$out"; then
        bad "--chips $n $*: no scope line '$want'"; echo "$out"
    fi
}
head=(--set workload.head=true --set workload.seq_len=8)
for n in 1 3 8; do
    run_check "one token; 8 of 8 blocks; embedding + LM head" "$ar" $n "${head[@]}"
done
run_check "one token; 2 of 8 blocks; no LM head" "$ar" 16 --set workload.blocks=2 \
    --set workload.seq_len=8
run_check "6-token prompt; 1 of 8 blocks; embedding + LM head (last position)" "$prompt" 4 \
    --set workload.head=true --set workload.seq_len=6 --set workload.blocks=1

# the logits slices travel nowhere, but the lookup's partials and the
# broadcast head input do: a flipped bit on a link is caught
out=$(MCUSIM_TEST_FLIP_LINK_BIT=1:0 "$bin" run "$ar" --chips 3 "${head[@]}" --check 2>&1)
rc=$?
if [ $rc -ne 1 ] || ! grep -q "check: FAILED" <<<"$out"; then
    bad "flipped bit with the LM head not caught (rc $rc)"; echo "$out"
fi

# the lookup and head ops cost the same whether or not the arithmetic runs
f=$("$bin" run "$prompt" --chips 4 --set workload.seq_len=6 "${head[@]:0:2}" | grep -E "^  (latency|energy) ")
t=$("$bin" run "$prompt" --chips 4 --set workload.seq_len=6 "${head[@]:0:2}" --timing-only |
    grep -E "^  (latency|energy) ")
[ -n "$f" ] && [ "$f" = "$t" ] || { bad "head: functional and timing-only differ"; echo "$f"; echo "$t"; }

out=$("$bin" validate "$ar")
grep -qE "^  blocks: 8  #" <<<"$out" || bad "validate does not print blocks: 8"
grep -qE "^  head: false  #" <<<"$out" || bad "validate does not print head: false"

# fewer blocks never take longer
lat() { "$bin" run "$ar" --chips 4 --timing-only --set workload.seq_len=8 "$@" |
        awk '/^  latency/ { print $2 }'; }
l1=$(lat --set workload.blocks=1) l2=$(lat --set workload.blocks=2) l8=$(lat)
awk -v a="$l1" -v b="$l2" -v c="$l8" 'BEGIN { exit !(a < b && b < c) }' ||
    bad "latency not increasing with blocks: $l1 $l2 $l8"

out_dir=$scratch/sweep
"$bin" sweep "$ar" --chips 1,2 --sweep workload.blocks=1,2 --set workload.seq_len=8 \
    --timing-only -j 2 --out "$out_dir" >"$scratch/sweep.out" 2>&1 ||
    { bad "sweep"; cat "$scratch/sweep.out"; }
csv=$out_dir/summary.csv
[ "$(head -1 "$csv" | cut -d, -f13)" = scope ] || bad "summary.csv column 13 is not scope"
for b in 1 2; do
    want="one token; $b of 8 blocks; no LM head"
    rows=$(awk -F, -v w="$want" -v s="workload.blocks=$b" 'NR > 1 && $13 == w && $14 == s' "$csv" | wc -l)
    [ "$rows" -eq 2 ] || bad "summary.csv has $rows rows of scope '$want', want 2"
    grep -qF "\"scope\": \"$want\"" "$out_dir/summary.json" || bad "summary.json lacks '$want'"
    grep -qF "| $want |" "$out_dir/summary.md" || bad "summary.md lacks a '$want' row"
    n=$(grep -lF "\"scope\": \"$want\"" "$out_dir"/points/*.json | wc -l)
    [ "$n" -eq 2 ] || bad "$n point files of scope '$want', want 2"
done
for svg in "$out_dir"/*.svg; do
    grep -qF ">one inference: " "$svg" || bad "$(basename "$svg") states no scope"
done
exit $fail
