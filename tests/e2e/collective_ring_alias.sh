#!/usr/bin/env bash
# system.topology.kind: ring, the old name of the chain, still works: one
# warning line on stderr naming the file and line (and ring_allreduce, the
# reduce-scatter ring the name may have been meant for), then exactly the chain's
# results (run figures, sweep summary.csv, resolved config); the chain
# itself warns nothing. A sweep warns once, not once per point.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
for kind in ring chain; do
    printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nsystem:\n  topology: {kind: %s, chunks: 2}\n' \
        "$src" "$kind" >"$scratch/$kind.yaml"
done
small=(--set workload.seq_len=8 --timing-only)
warning="ring.yaml:3:20: warning: system.topology.kind: 'ring' is deprecated, use 'chain' (a chunked chain through the root, not a reduce-scatter ring); for a reduce-scatter + all-gather ring use 'ring_allreduce'"

for kind in ring chain; do
    "$bin" run "$scratch/$kind.yaml" --chips 8 "${small[@]}" >"$scratch/$kind.run" 2>"$scratch/$kind.run_err" ||
        { echo "FAIL run $kind: exit $?"; cat "$scratch/$kind.run_err"; fail=1; }
    "$bin" sweep "$scratch/$kind.yaml" --chips 1,4,8 "${small[@]}" -j 2 --out "$scratch/sweep_$kind" \
        >/dev/null 2>"$scratch/$kind.sweep_err" ||
        { echo "FAIL sweep $kind: exit $?"; cat "$scratch/$kind.sweep_err"; fail=1; }
    "$bin" validate "$scratch/$kind.yaml" >"$scratch/$kind.valid" 2>"$scratch/$kind.valid_err" ||
        { echo "FAIL validate $kind: exit $?"; cat "$scratch/$kind.valid_err"; fail=1; }
done

# ring: exactly one line, the warning; chain: nothing
for what in run sweep valid; do
    if [ "$(wc -l <"$scratch/ring.${what}_err")" -ne 1 ] || ! grep -qF -- "$warning" "$scratch/ring.${what}_err"; then
        echo "FAIL $what ring: want one line '...$warning'"; cat "$scratch/ring.${what}_err"; fail=1
    fi
    [ -s "$scratch/chain.${what}_err" ] && { echo "FAIL $what chain warns:"; cat "$scratch/chain.${what}_err"; fail=1; }
done
# every figure of the run (not the host's wall time)
figures() { grep -v "wall$" "$1"; }
diff <(figures "$scratch/ring.run") <(figures "$scratch/chain.run") >/dev/null ||
    { echo "FAIL run: ring and chain differ"; diff "$scratch/ring.run" "$scratch/chain.run" | head; fail=1; }
cmp -s "$scratch/sweep_ring/summary.csv" "$scratch/sweep_chain/summary.csv" ||
    { echo "FAIL sweep: summary.csv of ring and chain differ"; fail=1; }
# the resolved config names the entry, so both files resolve alike (first line: the file)
if ! diff <(tail -n +2 "$scratch/ring.valid") <(tail -n +2 "$scratch/chain.valid") >/dev/null ||
   ! grep -q "^    kind: chain  # a chunked chain through the root" "$scratch/ring.valid"; then
    echo "FAIL validate: ring does not resolve to chain"; fail=1
fi
grep -q "^    chunks: 2 " "$scratch/ring.valid" || { echo "FAIL validate: chunks lost"; fail=1; }
[ $fail -eq 0 ] && echo "ok   ring = chain, one warning"
exit $fail
