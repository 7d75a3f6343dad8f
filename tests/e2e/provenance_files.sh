#!/usr/bin/env bash
# Provenance, checked against independent computations: every output
# folder (sweep, merge, reproduce per experiment, run --out) holds a
# provenance.json whose config is what `mcusim validate` prints (first line
# dropped) and whose config_sha256 is that text's sha256sum; every point
# file's stamp hashes what `mcusim validate` prints for that point (its
# --set/--sweep values and --set "sweep.chips=[N]"), with the version and
# the mode; summary.md shows the hash; host, date and command line are
# there.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
version=$("$bin" --version | awk 'NR == 1 {print $2}')
field() { # FILE KEY: the first string value of "KEY"
    grep -o "\"$2\": \"[^\"]*\"" "$1" | head -1 | sed 's/.*: "\(.*\)"/\1/'
}
validated_sha() { # validate args... -> sha256 of the resolved text without its first line
    "$bin" validate "$@" | tail -n +2 | sha256sum | cut -d' ' -f1
}

o=$scratch/sweep
"$bin" sweep "$exp" --chips 1,2 --timing-only --set workload.seq_len=8 --sweep system.topology.fan_in=2,4 \
    --out "$o" >/dev/null 2>"$scratch/err" || { echo "FAIL: sweep"; cat "$scratch/err"; exit 1; }
p=$o/provenance.json
want=$(validated_sha "$exp" --set workload.seq_len=8)
[ "$(field "$p" config_sha256)" = "$want" ] || { echo "FAIL: provenance config_sha256 is not the sha256 of the resolved config"; fail=1; }
grep -q "config sha256 \`${want:0:12}\`" "$o/summary.md" || { echo "FAIL: summary.md does not show the hash"; fail=1; }
grep -q "\"config_sha256\": \"$want\"" "$o/summary.json" || { echo "FAIL: summary.json does not carry the hash"; fail=1; }
[ "$(field "$p" mcusim_version)" = "$version" ] || { echo "FAIL: version"; fail=1; }
[ "$(field "$p" mode)" = timing-only ] || { echo "FAIL: mode"; fail=1; }
[ "$(field "$p" host)" = "$(hostname)" ] || { echo "FAIL: host '$(field "$p" host)'"; fail=1; }
date=$(field "$p" date_utc)
[[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || { echo "FAIL: date '$date'"; fail=1; }
age=$(( $(date -u +%s) - $(date -u -d "$date" +%s) ))
[ "$age" -ge 0 ] && [ "$age" -lt 600 ] || { echo "FAIL: date $date is not now"; fail=1; }
grep -q '"command_line": "mcusim sweep .*--sweep system.topology.fan_in=2,4' "$p" || { echo "FAIL: command line"; fail=1; }
git=$(field "$p" git_describe)
if git -C "$src" rev-parse --show-toplevel >/dev/null 2>&1; then
    [[ $git =~ ^[0-9a-zA-Z._+-]+$ ]] && [ "$git" != unknown ] || { echo "FAIL: git_describe '$git' in a git checkout"; fail=1; }
fi
# the resolved config text itself, unescaped, equals validate's
"$bin" validate "$exp" --set workload.seq_len=8 | tail -n +2 >"$scratch/want.yaml"
grep -o '"config": ".*"' "$p" | sed 's/^"config": "//; s/"$//' | sed 's/\\n/\n/g; s/\\"/"/g; s/\\\\/\\/g' | sed '$d' >"$scratch/got.yaml"
cmp -s "$scratch/want.yaml" "$scratch/got.yaml" || { echo "FAIL: provenance config differs from validate's"; diff "$scratch/want.yaml" "$scratch/got.yaml" | head -5; fail=1; }

# every point's stamp: the hash of that point's own resolved config
for f in "$o"/points/*.json; do
    id=$(basename "$f" .json) chips=$((10#${id##*-c})) g=${id%%-*}
    fan=$([ "$g" = g000 ] && echo 2 || echo 4)
    want=$(validated_sha "$exp" --set workload.seq_len=8 --set system.topology.fan_in=$fan --set "sweep.chips=[$chips]")
    [ "$(field "$f" config_sha256)" = "$want" ] || { echo "FAIL: $id: stamp is not the hash of its resolved config"; fail=1; }
    [ "$(field "$f" id)" = "$id" ] && [ "$(field "$f" mcusim_version)" = "$version" ] &&
        grep -q '"mode": "timing-only"' "$f" || { echo "FAIL: $id: stamp id/version/mode"; fail=1; }
done

# merge, reproduce and run --out folders carry one too
"$bin" merge --out "$scratch/merged" "$o" >/dev/null 2>&1 || { echo "FAIL: merge"; fail=1; }
grep -q '"merged_from": \[' "$scratch/merged/provenance.json" 2>/dev/null || { echo "FAIL: merge provenance.json"; fail=1; }
"$bin" run "$exp" --chips 2 --check --set workload.seq_len=8 --out "$scratch/run" >/dev/null 2>&1 || { echo "FAIL: run --out"; fail=1; }
want=$(validated_sha "$exp" --set workload.seq_len=8 --set "sweep.chips=[2]")
[ "$(field "$scratch/run/provenance.json" config_sha256)" = "$want" ] &&
    [ "$(field "$scratch/run/points/c0002.json" config_sha256)" = "$want" ] &&
    grep -q '"mode": "functional+check"' "$scratch/run/points/c0002.json" ||
    { echo "FAIL: run --out: point file or provenance.json missing or not the hash of its config"; fail=1; }
MCUSIM_HOME=$src "$bin" reproduce --timing-only -j 2 --out "$scratch/r" >/dev/null 2>&1
for set in paper paper-datasheet; do
    for y in "$src"/configs/experiments/$set/*.yaml; do
        # the resolved name (a paper experiment takes it from its base file)
        name=$("$bin" validate "$y" | sed -n 's/^name: *"\{0,1\}\([A-Za-z0-9_.-]*\).*/\1/p' | head -1)
        want=$(validated_sha "$y")
        p=$scratch/r/$set/$name/provenance.json
        [ -n "$name" ] && [ "$(field "$p" config_sha256)" = "$want" ] || { echo "FAIL: reproduce $set/$name: provenance.json"; fail=1; }
        grep -q '"command_line": "mcusim reproduce' "$p" || { echo "FAIL: reproduce $set/$name: command line"; fail=1; }
    done
done
exit $fail
