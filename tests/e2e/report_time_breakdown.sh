#!/usr/bin/env bash
# Critical-path time on real sweeps: in every point file each chip's
# time_cycles add up to exactly the run's cycles (0 cycles of slack), the CSV
# time_<comp>_ms columns (one per component that has time, as many as the
# busy_ ones) and summary.json's time_ms_by_component add up to latency_ms
# itself (not to cycles / clock, which is up to half a cycle off), and the
# stacked bars of breakdown_time.svg reach the latency of their row.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
paper=$src/configs/experiments/paper
fail=0

sweep() {   # NAME YAML CHIPS SEQ
    "$bin" sweep "$paper/$2" --chips "$3" --timing-only --set "workload.seq_len=$4" -j 2 \
        --out "$scratch/$1" >/dev/null 2>"$scratch/$1.err" ||
        { echo "FAIL: sweep $1"; cat "$scratch/$1.err"; fail=1; }
}
sweep ar tinyllama_ar.yaml 1,2,4,8 8
sweep prompt tinyllama_prompt.yaml 1,4 16
sweep bert mobilebert.yaml 1,2 16

for d in ar prompt bert; do
    # point files: "cycles": N at the top, one "time_cycles": {...} line per chip
    for p in "$scratch/$d"/points/*.json; do
        awk -v f="$p" '
            /^  "cycles": / { gsub(/[^0-9]/, "", $2); cycles = $2 }
            /"time_cycles": / {
                n = split($0, kv, ":"); s = 0
                for (i = 3; i <= n; i++) { v = kv[i]; sub(/[,}].*/, "", v); s += v }
                chips++
                if (s != cycles) { printf "FAIL: %s chip %d: time sums to %d, run is %d cycles\n", f, chips - 1, s, cycles; bad = 1 }
            }
            END { if (chips == 0) { print "FAIL: " f ": no time_cycles"; bad = 1 } exit bad }' "$p" || fail=1
    done
    # summary.csv: the time_ columns add up to latency_ms, not merely to the
    # cycles (latency rounded to a whole cycle, up to half a cycle off): no
    # slack but the 9 printed digits of each term
    awk -F, -v d="$d" '
        NR == 1 { for (i = 1; i <= NF; i++) { if ($i ~ /^time_.*_ms$/) t[++nt] = i; if ($i ~ /^busy_.*_ms$/) nb++ }; next }
        {
            s = 0; for (k = 1; k <= nt; k++) s += $(t[k])
            tol = nt * 5e-9 * $6
            if (nt < 2 || nt != nb || s - $6 > tol || $6 - s > tol) { printf "FAIL: %s %s chips: time columns sum to %.9g ms, latency %.9g ms\n", d, $4, s, $6; bad = 1 }
        }
        END { exit bad }' "$scratch/$d/summary.csv" || fail=1
    # summary.json (17 digits): time_ms_by_component sums to latency_ms to
    # double precision, while cycles / clock is off by up to half a cycle
    awk -v d="$d" '
        /"latency_ms": / { v = $0; sub(/.*"latency_ms": /, "", v); sub(/,.*/, "", v); lat = v + 0 }
        /"time_ms_by_component": / {
            n = split($0, kv, ":"); s = 0
            for (i = 3; i <= n; i++) { v = kv[i]; sub(/[,}].*/, "", v); s += v }
            rows++
            if (s - lat > 1e-12 * lat || lat - s > 1e-12 * lat) { printf "FAIL: %s row %d: time_ms_by_component sums to %.17g, latency_ms %.17g\n", d, rows, s, lat; bad = 1 }
        }
        END { if (!rows) { print "FAIL: " d ": no time_ms_by_component"; bad = 1 } exit bad }' \
        "$scratch/$d/summary.json" || fail=1
    # bars: sum the <title> values of each bar (rects of one bar share x)
    lat=$(awk -F, 'NR > 1 { printf "%s ", $6 }' "$scratch/$d/summary.csv")
    grep -o '<rect x="[0-9.]*"[^>]*><title>[^<]*' "$scratch/$d/breakdown_time.svg" |
        sed 's/<rect x="\([0-9.]*\)".*: \([-0-9.e+]*\)$/\1 \2/' |
        awk -v lat="$lat" -v d="$d" '
            $1 != x { b++; x = $1 } { s[b] += $2 }
            END {
                n = split(lat, l, " ")
                if (b != n) { printf "FAIL: %s: %d bars, %d rows\n", d, b, n; exit 1 }
                for (i = 1; i <= n; i++)
                    if (s[i] - l[i] > 1e-5 * l[i] || l[i] - s[i] > 1e-5 * l[i]) {
                        printf "FAIL: %s bar %d sums to %g ms, latency %g ms\n", d, i, s[i], l[i]; bad = 1 }
                exit bad
            }' || fail=1
    grep -q 'Where the time goes (mean per chip)' "$scratch/$d/breakdown_time.svg" ||
        { echo "FAIL: $d: breakdown_time.svg title"; fail=1; }
done
exit $fail
