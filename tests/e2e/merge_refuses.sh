#!/usr/bin/env bash
# mcusim merge joins only the shards of one sweep, and only complete ones:
# folders of different experiments, --set values or modes, an incomplete
# set of shards, a bad or stale point file, or an experiment file edited
# since the sweep are refused with one line naming the problem (exit 2)
# and no output; --allow-partial writes a summary that says "partial" (in
# summary.md and summary.json, and on stderr).
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
args=(--chips 1,2,4,8 --timing-only --set workload.seq_len=8 -j 2)
fail=0
sweep() { "$bin" sweep "$@" >/dev/null 2>&1 || { echo "FAIL: sweep $*"; exit 1; }; }
sweep "$exp" "${args[@]}" --shard 1/2 --out "$scratch/s1"
sweep "$exp" "${args[@]}" --shard 2/2 --out "$scratch/s2"
sweep "$exp" "${args[@]}" --shard 2/2 --set "system.node.hyperram.bandwidth=400 MB/s" --out "$scratch/other_set"
sweep "$src/configs/experiments/paper/tinyllama_prompt.yaml" "${args[@]}" --shard 2/2 --out "$scratch/other_exp"
sweep "$exp" --chips 1,2,4,8 --set workload.seq_len=8 -j 2 --shard 2/2 --out "$scratch/functional"

# refused NAME EXPECT -- merge args...: exit 2, one stderr line with EXPECT, no output folder
refused() {
    local name=$1 expect=$2; shift 3
    rm -rf "$scratch/m_$name"
    "$bin" merge --out "$scratch/m_$name" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
    local rc=$?
    if [ $rc -ne 2 ]; then echo "FAIL $name: exit $rc, want 2"; cat "$scratch/$name.err"; fail=1
    elif [ "$(wc -l <"$scratch/$name.err")" -ne 1 ]; then echo "FAIL $name: want one stderr line:"; cat "$scratch/$name.err"; fail=1
    elif ! grep -qF -- "$expect" "$scratch/$name.err"; then echo "FAIL $name: want '$expect', got: $(cat "$scratch/$name.err")"; fail=1
    elif [ -e "$scratch/m_$name" ]; then echo "FAIL $name: wrote an output folder"; fail=1
    else echo "ok   $name"; fi
}
refused other_set "configuration differs" -- "$scratch/s1" "$scratch/other_set"
refused other_experiment "configuration differs" -- "$scratch/s1" "$scratch/other_exp"
refused other_mode "mode differs (timing-only vs functional)" -- "$scratch/s1" "$scratch/functional"
refused missing_shard "incomplete: 2 of 4 planned points are in none of the folders (c0002, c0008)" -- "$scratch/s1"
refused no_sweep_json "sweep.json" -- "$scratch/s1" "$scratch"
cp -r "$scratch/s2" "$scratch/s2_bad"
sed -i 's/^  "energy_j": /  "energy_j": -/' "$scratch/s2_bad/points/c0002.json"
refused bad_point "s2_bad/points/c0002.json: energy_j" -- "$scratch/s1" "$scratch/s2_bad"
cp -r "$scratch/s2" "$scratch/s2_copy"
cp "$scratch/s1/points/c0004.json" "$scratch/s2_copy/points/c0008.json"
refused copied_point "s2_copy/points/c0008.json: holds point c0004 (chips=4), not c0008" -- "$scratch/s1" "$scratch/s2_copy"
# a point of another configuration placed among the shards
cp -r "$scratch/s2" "$scratch/s2_stale"
cp "$scratch/other_set/points/c0002.json" "$scratch/s2_stale/points/c0002.json"
refused stale_point "s2_stale/points/c0002.json: configuration changed" -- "$scratch/s1" "$scratch/s2_stale"
# the experiment edited after the sweep: the summary would describe another configuration
y=$scratch/mine.yaml
printf 'base: %s\nname: mine\n' "$exp" >"$y"
sweep "$y" "${args[@]}" --out "$scratch/mine"
echo 'workload: {seed: 7}' >>"$y"
refused edited_yaml "no longer resolves to the configuration of the sweep" -- "$scratch/mine"

# --allow-partial: joins what is there, and says so everywhere
"$bin" merge --allow-partial --out "$scratch/partial" "$scratch/s1" >"$scratch/partial.out" 2>"$scratch/partial.err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL allow_partial: exit $rc"; cat "$scratch/partial.err"; fail=1; }
grep -q "partial summary: 2 of 4 planned points (missing c0002, c0008)" "$scratch/partial.err" || { echo "FAIL allow_partial: no stderr note"; cat "$scratch/partial.err"; fail=1; }
grep -q '^\*\*Partial:\*\* 2 of 4 planned points; missing: `c0002`, `c0008`' "$scratch/partial/summary.md" || { echo "FAIL allow_partial: summary.md does not say partial"; fail=1; }
grep -q '"partial": true' "$scratch/partial/summary.json" || { echo "FAIL allow_partial: summary.json does not say partial"; fail=1; }
[ "$(tail -n +2 "$scratch/partial/summary.csv" | wc -l)" -eq 2 ] || { echo "FAIL allow_partial: want 2 rows"; fail=1; }
# and the complete set still merges, saying it is complete
"$bin" merge --out "$scratch/full" "$scratch/s1" "$scratch/s2" >/dev/null 2>"$scratch/full.err" || { echo "FAIL: complete merge"; cat "$scratch/full.err"; fail=1; }
grep -q '"partial": false' "$scratch/full/summary.json" || { echo "FAIL: complete merge not marked complete"; fail=1; }
grep -q "Partial" "$scratch/full/summary.md" && { echo "FAIL: complete merge says partial"; fail=1; }
exit $fail
