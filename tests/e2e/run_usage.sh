#!/usr/bin/env bash
# mcusim run exit codes (DESIGN.md): 2 for bad usage or config, 0 on success,
# and --out / --trace produce their files.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
expect() { # expect RC DESCRIPTION CMD...
    local want=$1 what=$2; shift 2
    "$@" >"$scratch/out" 2>"$scratch/err"; local rc=$?
    if [ $rc -ne "$want" ]; then echo "FAIL: $what: rc $rc, want $want"; cat "$scratch/err"; fail=1; fi
}
expect 2 "no file" "$bin" run
expect 2 "unknown option" "$bin" run "$exp" --bogus
expect 2 "bad chips" "$bin" run "$exp" --chips zero
expect 2 "missing file" "$bin" run "$scratch/nope.yaml"
expect 2 "bad --set key" "$bin" run "$exp" --set workload.no_such_key=1
expect 0 "help" "$bin" run --help
expect 0 "run with trace and out" "$bin" run "$exp" --chips 2 --set workload.seq_len=8 \
    --timing-only --trace "$scratch/t.json" --out "$scratch/res"
[ -s "$scratch/t.json" ] && grep -q '"traceEvents"' "$scratch/t.json" || { echo "FAIL: no trace"; fail=1; }
grep -q '"ph":"X"' "$scratch/t.json" || { echo "FAIL: trace has no slices"; fail=1; }
[ -s "$scratch/res/summary.csv" ] || { echo "FAIL: --out wrote no summary.csv"; ls -R "$scratch/res"; fail=1; }
exit $fail
