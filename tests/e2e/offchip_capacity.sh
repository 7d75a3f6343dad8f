#!/usr/bin/env bash
# hyperram.size bounds what a chip may home off chip: TinyLlama-42M on one
# chip homes ~15 MiB in HyperRAM, so with an 8 MiB device `run` and
# `validate` refuse it (exit 1, one stderr line naming the experiment
# file's line, the chip and the key, nothing on stdout, no output folder)
# while 2 chips, whose shares fit, run, and each chip's point-file
# placement reports the HyperRAM capacity and a used figure within it.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
printf 'base: %s/configs/experiments/paper/tinyllama_ar.yaml\nsystem: {node: {hyperram: {size: 8 MiB}}}\nsweep: {chips: [1, 2]}\n' \
    "$src" >"$scratch/small.yaml"

for verb in run validate; do
    args=()
    [ $verb = run ] && args+=(--chips 1 --timing-only --out "$scratch/out1")
    "$bin" $verb "$scratch/small.yaml" ${args[@]+"${args[@]}"} >"$scratch/$verb.out" 2>"$scratch/$verb.err"
    rc=$?
    [ $rc -eq 1 ] || bad "$verb 1 chip: exit $rc, want 1"
    [ -s "$scratch/$verb.out" ] && bad "$verb 1 chip wrote to stdout"
    [ "$(wc -l <"$scratch/$verb.err")" -eq 1 ] || bad "$verb: not one stderr line"
    grep -q "small.yaml.*chip 0: .* exceed hyperram.size 8 MiB" "$scratch/$verb.err" ||
        { bad "$verb: error does not name the chip and the key"; cat "$scratch/$verb.err"; }
done
[ -e "$scratch/out1" ] && bad "run refused but left $scratch/out1"
grep -q "small.yaml:3:" "$scratch/validate.err" || bad "validate does not name the line of sweep.chips"

"$bin" run "$scratch/small.yaml" --chips 2 --timing-only --out "$scratch/two" >/dev/null 2>"$scratch/two.err" ||
    { bad "2 chips do not run"; cat "$scratch/two.err"; }
python3 - "$scratch/two" <<'PY' || fail=1
import json, sys, glob
pt = json.load(open(glob.glob(sys.argv[1] + "/points/*.json")[0]))
def find(o, key):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == key: yield v
            yield from find(v, key)
    elif isinstance(o, list):
        for v in o: yield from find(v, key)
pl = [c["placement"] for c in pt["per_chip"]]
used = [p["used"]["HyperRAM"] for p in pl]
if len(used) != 2 or not all(0 < u <= 8 << 20 == p["capacity"]["HyperRAM"] for u, p in zip(used, pl)):
    print("FAIL: per-chip HyperRAM used/capacity", used); sys.exit(1)
PY
[ $fail -eq 0 ] && echo "ok   off-chip capacity: a share larger than hyperram.size is refused, with the key; smaller ones run"
exit $fail
