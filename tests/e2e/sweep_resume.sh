#!/usr/bin/env bash
# No lost results: a sweep killed midway (SIGTERM, then SIGINT) keeps every
# finished point file, leaves no temporary file and writes no summary;
# `sweep --resume` runs only the missing points, and the summary it writes
# equals that of an uninterrupted sweep byte for byte.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
# Functional points (~0.1-0.3 s each) at -j1 so there is a "midway" to kill in.
args=(--chips 1,2,4 --set workload.seq_len=8 --sweep workload.seed=1,2,3 -j 1)
total=9
fail=0
"$bin" sweep "$exp" "${args[@]}" --out "$scratch/ref" >/dev/null 2>"$scratch/ref.err" \
    || { echo "FAIL: uninterrupted sweep"; cat "$scratch/ref.err"; exit 1; }

# Starts a sweep into $1, waits for >= 1 finished point, sends signal $2.
kill_midway() {
    local out=$1 sig=$2
    "$bin" sweep "$exp" "${args[@]}" --out "$out" >/dev/null 2>"$out.err" &
    local pid=$! n=0
    for _ in $(seq 1 600); do
        n=$(ls "$out/points" 2>/dev/null | grep -c '\.json$')
        [ "$n" -ge 1 ] && break
        sleep 0.05
    done
    kill -"$sig" "$pid"
    wait "$pid"
    echo $?
}

for sig in TERM INT; do
    out=$scratch/$sig
    rc=$(kill_midway "$out" "$sig")
    want=$((128 + $(kill -l "$sig")))
    done_pts=$(ls "$out/points" | grep -c '\.json$')
    if [ "$done_pts" -ge "$total" ]; then
        echo "note: SIG$sig arrived after the last point; the kill was not midway"
    elif [ "$rc" -ne "$want" ]; then echo "FAIL: SIG$sig: exit $rc, want $want"; cat "$out.err"; fail=1
    fi
    ls "$out/points" | grep -q '\.tmp' && { echo "FAIL: SIG$sig left temporaries: $(ls "$out/points")"; fail=1; }
    if [ "$done_pts" -lt "$total" ]; then
        [ -e "$out/summary.csv" ] && { echo "FAIL: SIG$sig: a partial sweep wrote a summary"; fail=1; }
        grep -q -- "--resume" "$out.err" || { echo "FAIL: SIG$sig: no hint to resume"; cat "$out.err"; fail=1; }
    fi
    # Every finished point is whole and equal to the uninterrupted one (but
    # for its wall-clock time, the one field that is not simulated).
    for p in "$out"/points/*.json; do
        cmp -s <(grep -v '"wall_s"' "$p") <(grep -v '"wall_s"' "$scratch/ref/points/$(basename "$p")") \
            || { echo "FAIL: SIG$sig: $(basename "$p") differs"; fail=1; }
    done
    before=$(stat -c '%n %Y %s' "$out"/points/*.json | sort)
    # what a writer killed by SIGKILL would leave (its pid is gone): the
    # resumed sweep removes it
    sh -c 'exit 0' & dead=$!; wait $dead
    echo '{"half": ' >"$out/points/g000-c0001.json.tmp.$dead"
    "$bin" sweep "$exp" "${args[@]}" --resume --out "$out" >"$out.resume" 2>"$out.resume.err" \
        || { echo "FAIL: SIG$sig: resume failed"; cat "$out.resume.err"; fail=1; continue; }
    grep -q "($done_pts resumed)\|, $done_pts resumed)" "$out.resume" \
        || { echo "FAIL: SIG$sig: resume did not skip the $done_pts finished points"; cat "$out.resume"; fail=1; }
    after=$(for f in $(echo "$before" | cut -d' ' -f1); do stat -c '%n %Y %s' "$f"; done | sort)
    [ "$before" = "$after" ] || { echo "FAIL: SIG$sig: resume rewrote finished points"; fail=1; }
    ls "$out/points" | grep -q '\.tmp' && { echo "FAIL: SIG$sig: resume left a stale temporary"; fail=1; }
    for f in summary.csv summary.json summary.md speedup.svg energy.svg; do
        cmp -s "$out/$f" "$scratch/ref/$f" || { echo "FAIL: SIG$sig: resumed $f differs from the uninterrupted one"; fail=1; }
    done
    echo "SIG$sig: killed after $done_pts of $total points, resumed"
done
exit $fail
