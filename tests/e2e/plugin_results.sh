#!/usr/bin/env bash
# Every value a link plug-in's transfer() returns is checked before it is
# used: a negative, NaN, infinite or absurd time, a negative or NaN energy,
# wire bytes below the payload or near UINT64_MAX each stop the run with
# exit 1 and one stderr line naming the plug-in (name and path), the call
# and the value, with nothing on stdout and no output folder. The honest
# setting of the same plug-in runs (exit 0). The plug-in is
# tests/plugins/bad_cost_link.c, its bad value chosen by `fault`.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
plugin=$(cd "$(dirname "$bin")" && pwd)/plugins/libmcusim_test_bad_cost.so
[ -f "$plugin" ] || { echo "FAIL $plugin not built"; exit 1; }
exp=$scratch/bad_cost.yaml
printf 'name: bad_cost\nsystem:\n  node: !include %s/configs/nodes/siracusa.yaml\n  link: {plugin: %s}\nworkload: {model: tinyllama-42m, mode: autoregressive, seq_len: 8}\nsweep: {chips: [1, 2]}\n' \
    "$src" "$plugin" >"$exp"
fail=0
who="link plug-in 'bad_cost' ($plugin): transfer(bytes="

# check FAULT EXPECT: `run --chips 2` with that fault fails as described above
check() {
    local fault=$1 expect=$2 out=$scratch/out_$1
    timeout 60 "$bin" run "$exp" --chips 2 --timing-only --set "system.link.fault=$fault" \
        --out "$out" >"$scratch/$fault.out" 2>"$scratch/$fault.err"
    local rc=$? lines
    lines=$(wc -l <"$scratch/$fault.err")
    if [ $rc -ne 1 ]; then echo "FAIL $fault: exit $rc, want 1"; cat "$scratch/$fault.err"; fail=1
    elif [ -s "$scratch/$fault.out" ]; then echo "FAIL $fault: wrote to stdout"; head -3 "$scratch/$fault.out"; fail=1
    elif [ "$lines" -ne 1 ]; then echo "FAIL $fault: $lines stderr lines"; cat "$scratch/$fault.err"; fail=1
    elif ! grep -qF -- "$who" "$scratch/$fault.err" ||
         ! grep -qE -- "transfer\(bytes=[0-9]+\) returned $expect" "$scratch/$fault.err"; then
        echo "FAIL $fault: want '$who...) returned $expect'"; cat "$scratch/$fault.err"; fail=1
    elif [ -e "$out" ]; then echo "FAIL $fault: wrote $out"; fail=1
    else echo "ok   $fault"; fi
}
check negative_time 'time_s = -1 s: must be finite, >= 0 and at most 1e\+06 s'
check nan_time 'time_s = nan s: must be finite'
check inf_time 'time_s = inf s: must be finite'
check huge_time 'time_s = 1e\+300 s: must be finite, >= 0 and at most 1e\+06 s'
check negative_energy 'energy_j = -31.993 J: must be finite, >= 0'
check nan_energy 'energy_j = nan J: must be finite'
check wire_max 'wire_bytes = 18446744073709551615: must be at least the payload'
check wire_short 'wire_bytes = [0-9]+: must be at least the payload'

# the same plug-in, honest: runs
if "$bin" run "$exp" --chips 2 --timing-only >"$scratch/none.out" 2>"$scratch/none.err"; then
    echo "ok   none (honest plug-in runs)"
else
    echo "FAIL none: exit $?"; cat "$scratch/none.err"; fail=1
fi
exit $fail
