#!/usr/bin/env bash
# valgrind memcheck over a 2-chip functional simulation with --check: no
# memory error, no definite leak. Only libsystemc's coroutine stack-switch
# artefacts are suppressed (systemc.supp says why).
# usage: memcheck_run.sh MCUSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
bin=$1 src=$2 scratch=$3
if ! command -v valgrind >/dev/null; then
    echo "SKIP: valgrind is not installed (apt-get install valgrind; 'make deps' does it)"
    exit 77
fi
rm -rf "$scratch"; mkdir -p "$scratch"
valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions="$src/tests/valgrind/systemc.supp" --log-file="$scratch/valgrind.log" \
    "$bin" run "$src/configs/experiments/paper/tinyllama_ar.yaml" --chips 2 --check \
    --set workload.seq_len=8 --out "$scratch/out" >"$scratch/stdout" 2>"$scratch/stderr"
rc=$?
grep -E "ERROR SUMMARY|definitely lost" "$scratch/valgrind.log"
if [ $rc -ne 0 ]; then
    echo "FAIL: exit $rc (valgrind errors, a definite leak, or the run failed)"
    cat "$scratch/stderr"; grep -v "^==[0-9]*== *$" "$scratch/valgrind.log" | head -60
    exit 1
fi
grep -q "check: passed" "$scratch/stdout" || { echo "FAIL: --check did not pass"; exit 1; }
exit 0
