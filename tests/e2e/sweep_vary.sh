#!/usr/bin/env bash
# sweep.vary in an experiment file means what --sweep means:
# - the same points (ids), the same summary.csv as `--sweep key=v1,v2` on the
#   file without it;
# - a --sweep of a varied key replaces its values, a --set of it removes the
#   axis, each noted on stderr;
# - a value that does not load stops the sweep before anything runs, with one
#   line at the value's FILE:LINE:COL (also from validate and run); two values
#   resolving to one configuration likewise;
# - points a combination cannot split are not applicable: not run, listed in
#   summary.md, summary.json and sweep.json; shards of such a sweep merge to
#   the same summary, and --resume reruns nothing.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
good=$src/tests/bad_configs/parts/good.yaml

cat >"$scratch/plain.yaml" <<EOF
base: $good
name: vary
workload: {seq_len: 16, blocks: 2}
sweep: {chips: [1, 2, 4]}
EOF
cat >"$scratch/vary.yaml" <<EOF
base: $good
name: vary
workload: {seq_len: 16, blocks: 2}
sweep:
  chips: [1, 2, 4]
  vary:
    workload.partitioner: [tensor, pipeline]
    workload.in_flight: [1, 2]
EOF
"$bin" sweep "$scratch/plain.yaml" --timing-only -j 2 --sweep workload.partitioner=tensor,pipeline \
    --sweep workload.in_flight=1,2 --out "$scratch/cli" >/dev/null 2>"$scratch/cli.err" || { echo "FAIL --sweep"; fail=1; }
"$bin" sweep "$scratch/vary.yaml" --timing-only -j 2 --out "$scratch/file" >/dev/null 2>"$scratch/file.err" ||
    { echo "FAIL sweep.vary"; cat "$scratch/file.err"; fail=1; }
[ "$(ls "$scratch/cli/points")" = "$(ls "$scratch/file/points")" ] || { echo "FAIL point ids differ"; fail=1; }
cmp -s "$scratch/cli/summary.csv" "$scratch/file/summary.csv" || { echo "FAIL summary.csv differs from --sweep's"; fail=1; }
# pipeline on 4 chips of 2 blocks: not applicable, in both ways of asking
for d in cli file; do
    grep -q '`g002-c0004 (workload.partitioner=pipeline;workload.in_flight=1): pipeline: 2 blocks cannot be split over 4 chips' \
        "$scratch/$d/summary.md" || { echo "FAIL $d: summary.md does not list the not-applicable point"; fail=1; }
    grep -q '"not_applicable": "pipeline: 2 blocks' "$scratch/$d/sweep.json" || { echo "FAIL $d: sweep.json"; fail=1; }
    [ -e "$scratch/$d/points/g002-c0004.json" ] && { echo "FAIL $d: a not-applicable point ran"; fail=1; }
    grep -q "Partial" "$scratch/$d/summary.md" && { echo "FAIL $d: called partial"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "ok   sweep.vary = --sweep (ids, summary.csv, not applicable)"

# shards merge to the same summary; resume reruns nothing
"$bin" sweep "$scratch/vary.yaml" --timing-only --shard 1/2 --out "$scratch/s1" >/dev/null 2>&1 &&
    "$bin" sweep "$scratch/vary.yaml" --timing-only --shard 2/2 --out "$scratch/s2" >/dev/null 2>&1 &&
    "$bin" merge --out "$scratch/m" "$scratch/s1" "$scratch/s2" >/dev/null 2>"$scratch/m.err" ||
    { echo "FAIL shards/merge"; cat "$scratch/m.err"; fail=1; }
cmp -s "$scratch/m/summary.csv" "$scratch/file/summary.csv" && cmp -s "$scratch/m/summary.md" "$scratch/file/summary.md" ||
    { echo "FAIL merged summary differs"; fail=1; }
out=$("$bin" sweep "$scratch/vary.yaml" --timing-only --resume --out "$scratch/file" 2>&1)
echo "$out" | grep -q "0 of 12 points ran (0 failed, 10 resumed, 2 not applicable)" ||
    { echo "FAIL resume: $out"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   shards, merge, resume"

# the command line wins
"$bin" sweep "$scratch/vary.yaml" --timing-only --sweep workload.partitioner=replicate,tensor \
    --out "$scratch/r" >/dev/null 2>"$scratch/r.err" || { echo "FAIL --sweep over vary"; fail=1; }
grep -q "^mcusim sweep: --sweep workload.partitioner replaces the values of sweep.vary.workload.partitioner (.*vary.yaml:7:5)" \
    "$scratch/r.err" || { echo "FAIL no note of the replaced axis"; cat "$scratch/r.err"; fail=1; }
cut -d, -f14 "$scratch/r/summary.csv" | grep -q "workload.partitioner=replicate;workload.in_flight=2" &&
    ! grep -q pipeline "$scratch/r/summary.csv" || { echo "FAIL --sweep did not replace the values"; fail=1; }
"$bin" sweep "$scratch/vary.yaml" --timing-only --set workload.in_flight=2 --out "$scratch/s" >/dev/null 2>"$scratch/s.err" ||
    { echo "FAIL --set over vary"; fail=1; }
grep -q "^mcusim sweep: --set workload.in_flight=2 replaces sweep.vary.workload.in_flight (.*vary.yaml:8:5): not varied" \
    "$scratch/s.err" && [ "$(ls "$scratch/s/points" | wc -l)" -eq 5 ] || { echo "FAIL --set did not remove the axis"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   --sweep and --set over sweep.vary"

# errors at the file's value, nothing written
cat >"$scratch/bad.yaml" <<EOF
base: $good
workload: {seq_len: 16, blocks: 2}
sweep:
  chips: [1, 2]
  vary:
    workload.partitioner: [tensor, hybird]
EOF
for verb in sweep validate run; do
    extra=$([ $verb = sweep ] && echo "--timing-only --out $scratch/bad_$verb" || echo "")
    "$bin" $verb "$scratch/bad.yaml" $extra >"$scratch/bad.out" 2>"$scratch/bad.err"
    rc=$?
    [ $rc -eq 2 ] && [ "$(wc -l <"$scratch/bad.err")" -eq 1 ] && [ ! -s "$scratch/bad.out" ] &&
        grep -q "bad.yaml:6:36: workload.partitioner: unknown partitioner 'hybird' (did you mean 'hybrid'?)" "$scratch/bad.err" ||
        { echo "FAIL $verb of a bad value: exit $rc"; cat "$scratch/bad.err"; fail=1; }
done
[ -e "$scratch/bad_sweep" ] && { echo "FAIL the refused sweep wrote its folder"; fail=1; }
cat >"$scratch/same.yaml" <<EOF
base: $good
workload: {seq_len: 16, blocks: 2}
sweep:
  chips: [1]
  vary:
    system.node.l2.size: [2 MiB, 2048 KiB]
EOF
"$bin" sweep "$scratch/same.yaml" --timing-only --out "$scratch/same" >/dev/null 2>"$scratch/same.err"
rc=$?
[ $rc -eq 2 ] && grep -q "same.yaml:6:34: sweep.vary.system.node.l2.size: system.node.l2.size=2 MiB and system.node.l2.size=2048 KiB resolve to the same configuration" \
    "$scratch/same.err" || { echo "FAIL same configuration twice: exit $rc"; cat "$scratch/same.err"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok   errors at the value"

# another partitioner's parameter is ignored (so a file can vary the
# partitioner), a key of none is not
"$bin" validate "$scratch/vary.yaml" --set workload.partition.ffn_split=balanced >/dev/null 2>&1 &&
    "$bin" sweep "$scratch/vary.yaml" --timing-only --set workload.partition.ffn_split=balanced \
        --out "$scratch/f" >/dev/null 2>&1 || { echo "FAIL ffn_split with the pipeline varied"; fail=1; }
"$bin" validate "$scratch/vary.yaml" --set workload.partition.ffn_splt=balanced >/dev/null 2>"$scratch/k.err"
grep -q "workload.partition.ffn_splt: unknown key 'ffn_splt' (did you mean 'ffn_split'?)" "$scratch/k.err" ||
    { echo "FAIL a key of no partitioner"; cat "$scratch/k.err"; fail=1; }

# the printout reloads with the same axes
"$bin" validate "$scratch/vary.yaml" >"$scratch/printed.yaml" 2>/dev/null &&
    grep -q '    workload.partitioner: \["tensor", "pipeline"\]' "$scratch/printed.yaml" &&
    "$bin" validate "$scratch/printed.yaml" >/dev/null 2>&1 || { echo "FAIL validate printout of sweep.vary"; fail=1; }
exit $fail
