#!/usr/bin/env bash
# A node that differs in structure (configs/nodes/pulp_nonpu_wmem.yaml: no NPU,
# a weight memory) runs end to end: its sweep is bit-exact (--check) at every
# chip count, its reports have no npu column or entry at all while the
# Siracusa node's have them (the columns follow from what the node
# declares: the two headers differ by exactly the npu columns), its point
# files read back for --resume and give the same summary, and `mcusim run`
# lists its own components.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

experiment() { # NAME NODE_FILE
    cat >"$scratch/$1.yaml" <<EOF
name: $1
system:
  node: !include $src/configs/nodes/$2
  link: !include $src/configs/links/mipi_dphy.yaml
workload: {model: tinyllama-42m, mode: autoregressive, seq_len: 8}
sweep: {chips: [1, 2, 4]}
EOF
}
experiment nonpu pulp_nonpu_wmem.yaml
experiment siracusa siracusa.yaml

for name in nonpu siracusa; do
    "$bin" sweep "$scratch/$name.yaml" --check -j 2 --out "$scratch/$name" >/dev/null \
        2>"$scratch/$name.err" || { bad "$name sweep exits $?"; cat "$scratch/$name.err"; }
done
csv=$scratch/nonpu/summary.csv
[ -f "$csv" ] || { echo "FAIL: no summary.csv"; exit 1; }

# every row passed --check
checks=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "check") c = i; next }
                  { print $c }' "$csv" | sort -u)
[ "$checks" = "pass" ] && echo "ok   --check bit-exact at 1, 2, 4 chips" || bad "check column: $checks"

# no npu column, a wmem one; the Siracusa header is this one plus the npu columns
head -1 "$csv" | tr , '\n' >"$scratch/nonpu.cols"
head -1 "$scratch/siracusa/summary.csv" | tr , '\n' >"$scratch/siracusa.cols"
if grep -q npu "$scratch/nonpu.cols"; then bad "npu columns in $(grep npu "$scratch/nonpu.cols" | tr '\n' ' ')"
elif ! grep -qx energy_wmem_mj "$scratch/nonpu.cols"; then bad "no energy_wmem_mj column"
elif ! diff <(grep -v npu "$scratch/siracusa.cols") "$scratch/nonpu.cols" >/dev/null; then
    bad "the headers differ by more than the npu columns"
elif [ "$(grep -c npu "$scratch/siracusa.cols")" -ne 3 ]; then bad "siracusa has no npu columns"
else echo "ok   columns follow the node: no npu column (siracusa's header minus its 3)"; fi

# nor an npu entry in summary.json or a point file
if grep -q '"npu"' "$scratch/nonpu/summary.json" "$scratch"/nonpu/points/*.json; then
    bad "an npu entry in summary.json or a point file"
else echo "ok   no npu entry in summary.json or the point files"; fi

# the point files read back: --resume reuses all and writes the same summary
cp "$csv" "$scratch/first.csv"
"$bin" sweep "$scratch/nonpu.yaml" --check -j 2 --resume --out "$scratch/nonpu" \
    >"$scratch/resume.out" 2>"$scratch/resume.err" || { bad "resume exits $?"; cat "$scratch/resume.err"; }
if ! grep -q '0 of 3 points ran (0 failed, 3 resumed)' "$scratch/resume.out"; then
    bad "resume re-ran points:"; cat "$scratch/resume.out" "$scratch/resume.err"
elif ! cmp -s "$scratch/first.csv" "$csv"; then bad "resumed summary differs"
else echo "ok   --resume reads every point back, same summary"; fi

# mcusim run: the node's own components
out=$("$bin" run "$scratch/nonpu.yaml" --chips 2 --check 2>&1)
if ! grep -q "check: passed" <<<"$out"; then bad "run --check"; echo "$out"
elif grep -qE '^  npu ' <<<"$out" || ! grep -qE '^  wmem ' <<<"$out"; then bad "run's components"; echo "$out"
else echo "ok   mcusim run: passed, wmem listed, no npu"; fi
exit $fail
