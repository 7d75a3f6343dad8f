#!/usr/bin/env bash
# The pipeline and hybrid partitioners through the binary (SystemC engine,
# real payloads over the links), on small models so the suite stays fast:
# - --check bit-exact at every chip count of 1..64 each accepts, llama
#   autoregressive and prompt (with the LM head) and MobileBERT, with
#   several inferences in flight, as one sweep over the partitioners (a
#   chip count a partitioner cannot split is listed as not applicable, never
#   a failure);
# - throughput invariants, timing-only: one inference in flight gives
#   tokens_per_s = tokens / latency; M in flight on a pipeline of P balanced
#   stages give between 1/latency and P/latency per token; tensor with M in
#   flight is never slower per token than with one; a 1-in-flight run keeps
#   every figure of the same run without the key;
# - run prints the first inference's latency, the throughput and the check
#   of every in-flight inference.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
node=$src/configs/nodes/siracusa.yaml
link=$src/configs/links/mipi_dphy.yaml

# experiment NAME MODE DIMS [HEAD]: a small custom model (8 blocks)
experiment() {
    cat >"$scratch/$1.yaml" <<EOF
name: $1
system:
  node: !include $node
  link: !include $link
  topology: {kind: reduction_tree, fan_in: 4}
workload:
  model: custom
  dims: $3
  mode: $2
  seq_len: 8
  in_flight: 3
  head: ${4:-false}
sweep:
  chips: [1, 2, 4, 8, 16, 32, 64]
  vary:
    workload.partitioner: [tensor, pipeline, hybrid]
EOF
}
llama='{arch: llama, dim: 64, n_layers: 8, n_heads: 8, head_dim: 8, ffn_hidden: 96, vocab: 256, max_seq: 64}'
mb='{arch: mobilebert, dim: 64, n_layers: 8, n_heads: 4, head_dim: 8, bottleneck: 32, ffn_hidden: 32, n_ffn: 2, vocab: 100, max_seq: 64}'
experiment llama_ar autoregressive "$llama"
experiment llama_prompt prompt "$llama" true
experiment mobilebert prompt "$mb"

# csv_col FILE COLUMN: the column's values, one per row
csv_col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"; }

for x in llama_ar llama_prompt mobilebert; do
    "$bin" sweep "$scratch/$x.yaml" --check -j 2 --out "$scratch/$x" >"$scratch/$x.out" 2>"$scratch/$x.err"
    rc=$?
    csv=$scratch/$x/summary.csv
    if [ $rc -ne 0 ]; then echo "FAIL $x: sweep --check exit $rc"; tail -3 "$scratch/$x.err"; fail=1; continue; fi
    # every simulated point bit-exact: each of its 3 in-flight inferences
    bad=$(csv_col "$csv" check | grep -vc '^pass$')
    [ "$bad" -eq 0 ] || { echo "FAIL $x: $bad rows did not pass --check"; fail=1; }
    # what applies: tensor everywhere (MobileBERT up to its 4 heads), pipeline up to
    # its 8 blocks, hybrid up to 8 x 8 (MobileBERT 4 x 8)
    want_rows=$([ $x = mobilebert ] && echo $((3 + 4 + 6)) || echo $((7 + 4 + 7)))
    rows=$(($(wc -l <"$csv") - 1))
    [ "$rows" -eq "$want_rows" ] || { echo "FAIL $x: $rows rows, want $want_rows"; fail=1; }
    na=$(grep -c '^- `g00' "$scratch/$x/summary.md")
    [ "$na" -eq $((21 - want_rows)) ] || { echo "FAIL $x: $na not-applicable points listed"; fail=1; }
    grep -q 'g001-c0016 (workload.partitioner=pipeline): pipeline: 8 blocks cannot be split over 16 chips' \
        "$scratch/$x/summary.md" || { echo "FAIL $x: pipeline's 16 chips not listed"; fail=1; }
    grep -q '"not_applicable": \[' "$scratch/$x/summary.json" || { echo "FAIL $x: summary.json lists none"; fail=1; }
    [ "$fail" -eq 0 ] && echo "ok   $x: $rows points bit-exact with 3 in flight, $na not applicable"
done

# ---- throughput, timing-only ----
t=$scratch/t.yaml
sed -e 's/in_flight: 3/in_flight: 1/' "$scratch/llama_ar.yaml" >"$t"
# row FILE PARTITIONER CHIPS COLUMN
val() { awk -F, -v p="workload.partitioner=$2" -v n="$3" -v c="$4" \
    'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $0 ~ p && $h["chips"] == n { print $h[c] }' "$1"; }
"$bin" sweep "$t" --timing-only -j 2 --chips 1,4,8 --out "$scratch/m1" >/dev/null 2>&1 || { echo "FAIL m1 sweep"; fail=1; }
"$bin" sweep "$t" --timing-only -j 2 --chips 1,4,8 --set workload.in_flight=8 --out "$scratch/m8" >/dev/null 2>&1 ||
    { echo "FAIL m8 sweep"; fail=1; }
for p in tensor pipeline hybrid; do
    for n in 1 4 8; do
        lat=$(val "$scratch/m1/summary.csv" $p $n latency_ms) tps=$(val "$scratch/m1/summary.csv" $p $n tokens_per_s)
        awk -v l="$lat" -v t="$tps" 'BEGIN { exit !(l > 0 && (t * l / 1000 - 1)^2 < 1e-12) }' ||
            { echo "FAIL $p $n chips: 1 in flight: tokens_per_s $tps is not 1/latency ($lat ms)"; fail=1; }
    done
done
# pipeline of P balanced stages (8 blocks over 4 and 8 chips), 8 in flight
for n in 4 8; do
    lat=$(val "$scratch/m8/summary.csv" pipeline $n latency_ms) tps=$(val "$scratch/m8/summary.csv" pipeline $n tokens_per_s)
    awk -v l="$lat" -v t="$tps" -v p="$n" 'BEGIN { x = t * l / 1000; exit !(x >= 1 - 1e-9 && x <= p + 1e-9 && x > 1.5) }' ||
        { echo "FAIL pipeline $n stages, 8 in flight: tokens_per_s x latency = $(awk -v l="$lat" -v t="$tps" 'BEGIN{print t*l/1000}'), want in [1, $n] (and a real gain)"; fail=1; }
done
for n in 1 4 8; do
    one=$(val "$scratch/m1/summary.csv" tensor $n tokens_per_s) eight=$(val "$scratch/m8/summary.csv" tensor $n tokens_per_s)
    awk -v a="$one" -v b="$eight" 'BEGIN { exit !(b >= a * (1 - 1e-9)) }' ||
        { echo "FAIL tensor $n chips: 8 in flight give $eight tokens/s, 1 gives $one"; fail=1; }
    # and the makespan holds all eight
    mk=$(val "$scratch/m8/summary.csv" tensor $n makespan_ms) lat=$(val "$scratch/m8/summary.csv" tensor $n latency_ms)
    awk -v m="$mk" -v l="$lat" 'BEGIN { exit !(m >= 7 * l) }' || { echo "FAIL tensor $n: makespan $mk < 7 x latency $lat"; fail=1; }
done
# in_flight 1 written or not: the same figures
sed -e '/in_flight/d' "$t" >"$scratch/t0.yaml"
"$bin" sweep "$scratch/t0.yaml" --timing-only -j 2 --chips 1,4,8 --out "$scratch/m0" >/dev/null 2>&1
cmp -s "$scratch/m0/summary.csv" "$scratch/m1/summary.csv" || { echo "FAIL in_flight: 1 changes summary.csv"; fail=1; }
grep -q "in flight" "$scratch/m1/summary.md" && { echo "FAIL summary.md shows in-flight columns with 1 in flight"; fail=1; }
grep -q "| tokens/s |" "$scratch/m8/summary.md" || { echo "FAIL summary.md of 8 in flight has no tokens/s"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   throughput invariants"

# ---- the stream's link: the pair's own ----
# a system.links entry naming the pipeline's pair carries its stream (one lane
# instead of the default's: strictly slower); a level names no pipeline pair
# (no collective runs), so the figures stay those of system.link
printf 'base: %s\nsystem:\n  links:\n    - {pairs: [[0, 1]], link: {model: mipi_dphy, lanes: 1}}\nsweep: {chips: [2]}\n' \
    "$t" >"$scratch/pair.yaml"
printf 'base: %s\nsystem:\n  links:\n    - {level: 1, link: {model: mipi_dphy, lanes: 1}}\nsweep: {chips: [2]}\n' \
    "$t" >"$scratch/level.yaml"
for f in pair level; do
    "$bin" sweep "$scratch/$f.yaml" --timing-only --sweep workload.partitioner=pipeline,tensor --out "$scratch/$f" \
        >/dev/null 2>"$scratch/$f.err" || { echo "FAIL $f sweep"; cat "$scratch/$f.err"; fail=1; }
done
"$bin" sweep "$t" --timing-only --chips 2 --out "$scratch/p2" >/dev/null 2>&1
p2=$(val "$scratch/p2/summary.csv" pipeline 2 latency_ms)
pair=$(val "$scratch/pair/summary.csv" pipeline 2 latency_ms) level=$(val "$scratch/level/summary.csv" pipeline 2 latency_ms)
awk -v a="$p2" -v b="$pair" 'BEGIN { exit !(a > 0 && b > a) }' || { echo "FAIL pair override: $pair ms, default $p2 ms"; fail=1; }
[ -n "$level" ] && [ "$level" = "$p2" ] || { echo "FAIL a level override changed a pipeline: $level ms, default $p2 ms"; fail=1; }
# while the tensor split's level-1 pair (chip 1 to its leader 0) does take it
t2=$(val "$scratch/p2/summary.csv" tensor 2 latency_ms) tl=$(val "$scratch/level/summary.csv" tensor 2 latency_ms)
awk -v a="$t2" -v b="$tl" 'BEGIN { exit !(a > 0 && b > a) }' || { echo "FAIL level override on tensor: $tl ms, default $t2 ms"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   the stream goes over its pair's link"

# ---- run ----
out=$("$bin" run "$scratch/llama_ar.yaml" --chips 4 --check --set workload.partitioner=hybrid 2>&1)
echo "$out" | grep -q "the first of 3 inferences in flight" &&
    echo "$out" | grep -q "^  throughput .* tokens/s" &&
    echo "$out" | grep -q "^check: passed (the output of each of the 3 in-flight inferences equals" ||
    { echo "FAIL run with 3 in flight:"; echo "$out" | head -5; fail=1; }
# a corrupted payload of a pipeline's stream is caught
MCUSIM_TEST_FLIP_LINK_BIT=0:1 "$bin" run "$scratch/llama_ar.yaml" --chips 2 --check \
    --set workload.partitioner=pipeline >"$scratch/flip.out" 2>"$scratch/flip.err"
rc=$?
[ $rc -eq 1 ] && grep -q "in-flight inference 0 differs from the 1-chip run" "$scratch/flip.err" ||
    { echo "FAIL flipped stream bit: exit $rc"; cat "$scratch/flip.err"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   run"
exit $fail
