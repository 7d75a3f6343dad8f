#!/usr/bin/env bash
# --max-memory: a run whose estimate fits runs; the same run under a limit
# below its estimate is refused (exit 2, nothing written). The estimate
# itself (read from the refusal message) tracks reality: the peak resident
# memory of the run, less what the bare binary holds, is within 10 % of it
# or below, and the estimate is not more than twice the peak.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_heads64.yaml
fail=0

if "$bin" run "$exp" --chips 8 --check --max-memory 1GiB >"$scratch/fit.out" 2>&1; then
    echo "ok   fits under 1 GiB"
else
    echo "FAIL a run estimated far below 1 GiB was refused:"; cat "$scratch/fit.out"; fail=1
fi

# estimate ARGS...: the estimate in KiB, from the refusal under a 1-byte limit
estimate_kib() {
    "$bin" run "$exp" "$@" --max-memory 1B 2>&1 >/dev/null |
        sed -n 's/.*would need about \([0-9.e+]*\) \([KMGT]*i*B\).*/\1 \2/p' |
        awk '{ m = $2 == "B" ? 1 / 1024 : $2 == "KiB" ? 1 : $2 == "MiB" ? 1024 : $2 == "GiB" ? 1048576 : 0
               printf "%.0f\n", $1 * m }'
}
# A sanitized binary's shadow memory is not the simulator's: compare only
# a plain build.
sanitized=$(ldd "$bin" 2>/dev/null | grep -cE 'libasan|libubsan|libtsan')
if [ "$sanitized" -gt 0 ]; then
    echo "skip estimate vs peak memory: sanitized binary"
elif [ -x /usr/bin/time ]; then
    base=$(/usr/bin/time -f %M "$bin" --help 2>&1 >/dev/null | tail -1)
    for args in "--chips 1 --timing-only" "--chips 8 --check" "--chips 64 --timing-only"; do
        # shellcheck disable=SC2086
        est=$(estimate_kib $args)
        # shellcheck disable=SC2086
        rss=$(/usr/bin/time -f %M "$bin" run "$exp" $args 2>&1 >/dev/null | tail -1)
        if [ -z "$est" ] || [ -z "$rss" ]; then echo "FAIL $args: no estimate ('$est') or peak ('$rss')"; fail=1
        elif awk -v e="$est" -v r="$rss" -v b="$base" 'BEGIN { exit !(r - b <= 1.1 * e && e <= 2 * r) }'; then
            echo "ok   $args: estimate $est KiB, peak $rss KiB (binary alone $base KiB)"
        else
            echo "FAIL $args: estimate $est KiB vs peak $rss KiB (binary alone $base KiB)"; fail=1
        fi
    done
else
    echo "skip estimate vs peak memory: no /usr/bin/time"
fi

# refused under a limit below the estimate, before anything is written
"$bin" run "$exp" --chips 8 --check --max-memory 100MiB --out "$scratch/small" \
    >"$scratch/small.out" 2>"$scratch/small.err"
rc=$?
if [ $rc -eq 2 ] && [ ! -s "$scratch/small.out" ] && [ ! -e "$scratch/small" ] &&
   grep -q "8 chips functional would need about .*more than the 100 MiB allowed" "$scratch/small.err"; then
    echo "ok   refused under 100 MiB"
else
    echo "FAIL under 100 MiB: exit $rc"; cat "$scratch/small.err"; fail=1
fi
exit $fail
