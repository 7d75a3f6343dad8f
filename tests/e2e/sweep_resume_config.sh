#!/usr/bin/env bash
# --resume reuses a point only when it was simulated from the same resolved
# configuration, version and mode. After a change of --set, of a --sweep
# value, of the YAML, of the experiment or of the mode, the resumed sweep
# re-runs the affected points (naming each file and why) and its summary
# equals a fresh sweep of the new configuration byte for byte; unchanged
# points are reused.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
base=(--chips 1,2,4 --set workload.seq_len=8 -j 2)
fail=0

# CASE NAME "FIRST ARGS" "SECOND ARGS" WANT_RAN WANT_RESUMED
# The first sweep writes X; the second resumes into X; a fresh sweep with
# the second's arguments is the reference.
case_() {
    local name=$1 ran=$4 resumed=$5 x=$scratch/$1
    eval "local first=($2) second=($3)"
    "$bin" sweep "${first[@]}" --out "$x" >/dev/null 2>"$x.err1" || { echo "FAIL $name: first sweep"; cat "$x.err1"; fail=1; return; }
    "$bin" sweep "${second[@]}" --resume --out "$x" >"$x.out" 2>"$x.err" || { echo "FAIL $name: resumed sweep"; cat "$x.err"; fail=1; return; }
    "$bin" sweep "${second[@]}" --out "$x.fresh" >/dev/null 2>&1 || { echo "FAIL $name: fresh sweep"; fail=1; return; }
    grep -q "$ran of .* points ran (0 failed, $resumed resumed)" "$x.out" || { echo "FAIL $name: want $ran run, $resumed resumed:"; cat "$x.out"; fail=1; }
    if [ "$ran" -gt 0 ] && [ "$resumed" -lt 3 ]; then
        grep -q "re-running point .*: .*/points/.*\.json: " "$x.err" || { echo "FAIL $name: no note naming the re-run files"; cat "$x.err"; fail=1; }
    fi
    for f in summary.csv summary.json summary.md; do
        cmp -s "$x/$f" "$x.fresh/$f" || { echo "FAIL $name: resumed $f differs from a fresh sweep of the new configuration"; diff "$x/$f" "$x.fresh/$f" | head -4; fail=1; }
    done
    echo "ok   $name"
}

E="'$exp'"
case_ unchanged      "$E ${base[*]} --timing-only" "$E ${base[*]} --timing-only" 0 3
case_ set_changed    "$E ${base[*]} --timing-only" "$E ${base[*]} --timing-only --set 'system.node.hyperram.bandwidth=400 MB/s'" 3 0
case_ sweep_value    "$E ${base[*]} --timing-only --sweep system.topology.fan_in=2,4" "$E ${base[*]} --timing-only --sweep system.topology.fan_in=2,8" 3 3
case_ mode_changed   "$E ${base[*]} --timing-only" "$E ${base[*]}" 3 0
case_ check_added    "$E ${base[*]}" "$E ${base[*]} --check" 3 0
case_ other_exp      "$E ${base[*]} --timing-only" "'$src/configs/experiments/paper/tinyllama_prompt.yaml' ${base[*]} --timing-only" 3 0
# the YAML itself edited between the two runs: a comment changes nothing,
# a value re-runs everything
y=$scratch/mine.yaml x=$scratch/yaml
printf 'base: %s\nname: mine\nworkload: {seq_len: 8}\n' "$exp" >"$y"
"$bin" sweep "$y" --chips 1,2,4 --timing-only --out "$x" >/dev/null 2>&1 || { echo "FAIL yaml: first sweep"; fail=1; }
echo '# a comment' >>"$y"
"$bin" sweep "$y" --chips 1,2,4 --timing-only --resume --out "$x" >"$x.out1" 2>&1
grep -q "0 of 3 points ran (0 failed, 3 resumed)" "$x.out1" || { echo "FAIL yaml: a comment re-ran points"; cat "$x.out1"; fail=1; }
printf 'system: {node: {hyperram: {bandwidth: 400 MB/s}}}\n' >>"$y"
"$bin" sweep "$y" --chips 1,2,4 --timing-only --resume --out "$x" >"$x.out2" 2>&1
"$bin" sweep "$y" --chips 1,2,4 --timing-only --out "$x.fresh" >/dev/null 2>&1
grep -q "3 of 3 points ran (0 failed, 0 resumed)" "$x.out2" || { echo "FAIL yaml: an edited value did not re-run"; cat "$x.out2"; fail=1; }
cmp -s "$x/summary.csv" "$x.fresh/summary.csv" || { echo "FAIL yaml: resumed summary differs from a fresh one"; fail=1; }
[ $fail -eq 0 ] && echo "ok   yaml_edited"
exit $fail
