#!/usr/bin/env bash
# Simulated time covers the whole parameter range: SystemC counts time in
# 64-bit steps of its resolution, and at a fixed 1 fs a run longer than
# 2^64 fs (about 18 447 s) wrapped silently (TinyLlama at 1.2 kB/s reported
# 18 445 496 ms). At the slowest HyperRAM bandwidths the config allows, a
# one-chip TinyLlama token is bound by streaming its weights, so its latency
# must equal off-chip bytes / bandwidth (the bandwidth being the value set
# here), never less, and within 0.1 % (compute and burst latencies are the
# rest).
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0
for bw in "1.2 kB/s:1200" "1 kB/s:1000" "1.5 kB/s:1500"; do
    text=${bw%%:*} bytes_per_s=${bw##*:}
    out=$scratch/bw_$bytes_per_s
    if ! "$bin" run "$exp" --chips 1 --timing-only --set "system.node.hyperram.bandwidth=$text" \
            --out "$out" >"$out.log" 2>&1; then
        echo "FAIL $text: run failed"; cat "$out.log"; fail=1; continue
    fi
    read -r lat off < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
                                 NR == 2 { print $col["latency_ms"], $col["offchip_bytes"] }' \
                             "$out/summary.csv")
    if awk -v l="$lat" -v b="$off" -v r="$bytes_per_s" \
           'BEGIN { want = b / r * 1e3; exit !(l >= want && l <= want * 1.001) }'; then
        echo "ok   $text: latency $lat ms, stream $off B / $bytes_per_s B/s"
    else
        echo "FAIL $text: latency $lat ms, want off-chip $off B / $bytes_per_s B/s = $(awk -v b="$off" -v r="$bytes_per_s" 'BEGIN { print b / r * 1e3 }') ms (+0.1 %)"
        fail=1
    fi
done
exit $fail
