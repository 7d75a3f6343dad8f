#!/usr/bin/env bash
# mcusim calibrate recovers parameter values it did not see: each target is
# a figure this script first simulates with known values (`mcusim run --set`),
# the calibration starts elsewhere within its bounds and must land within
# 1 % of the known values. Also: a rerun (with another -j) writes the same
# bytes, the overlay loads like a node/link file and resolves to exactly the
# values that were simulated, and a target outside the bounds is flagged.
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH" || exit 1
EXP=$SRC/tests/bad_calib/parts/tinyllama_ar.yaml
NODE=$SRC/configs/nodes/siracusa.yaml
LINK=$SRC/configs/links/mipi_dphy.yaml
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# figure CHIPS COLUMN [--set k=v]...: one column of the summary.csv of a run
n=0
figure() {
  local chips=$1 col=$2
  shift 2
  n=$((n + 1))
  "$MCUSIM" run "$EXP" --chips "$chips" --timing-only --out "fig$n" "$@" >/dev/null || return 1
  awk -F, -v c="$col" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k; exit }' \
    "fig$n/summary.csv"
}
# fitted KEY JSON: the fitted value (SI) from the --out report
fitted() { sed -n "s/.*\"key\": \"$1\", \"value\": \([^,]*\),.*/\1/p" "$2"; }
fitted_text() { sed -n "s/.*\"key\": \"$1\", \"value\": [^,]*, \"text\": \"\([^\"]*\)\".*/\1/p" "$2"; }
within_1pct() { awk -v v="$1" -v t="$2" 'BEGIN { exit !(v != "" && v / t > 0.99 && v / t < 1.01) }'; }
# validate output without its first line (which names the file)
resolved() { "$MCUSIM" validate "$@" | tail -n +2; }

# --- one parameter: HyperRAM bandwidth from a 1-chip latency ---
L1=$(figure 1 latency_ms --set "system.node.hyperram.bandwidth=300 MB/s") || bad "reference run"
cat >one.yaml <<EOF
name: recover_bandwidth
description: "synthetic target simulated at 300 MB/s"
experiment: $EXP
output:
  node: {base: $NODE, file: out/node_one.yaml}
parameters:
  - key: system.node.hyperram.bandwidth
    min: 100 MB/s
    max: 1 GB/s
    start: 700 MB/s
    reason: "test: HyperBus clock and DDR mode not known"
targets:
  - {chips: 1, metric: latency_ms, value: $L1, source: "mcusim run at 300 MB/s"}
EOF
"$MCUSIM" calibrate one.yaml --out one.json >one.out 2>one.err
check "one parameter: exit 0" '[ $? -eq 0 ] || { cat one.err; false; }'
BW=$(fitted system.node.hyperram.bandwidth one.json)
check "one parameter: bandwidth $BW B/s within 1 % of 300 MB/s" 'within_1pct "$BW" 300e6'
check "one parameter: table shows the target and the fitted value" \
  'grep -q "latency_ms" one.out && grep -q "system.node.hyperram.bandwidth" one.out'
check "overlay starts with base: naming the node file" \
  '[ "$(head -n 1 out/node_one.yaml | cut -d" " -f1)" = "base:" ] && [ "$(cd out && realpath "$(head -n 1 node_one.yaml | cut -d" " -f2)")" = "$(realpath "$NODE")" ]'
check "overlay carries bounds, reason, source and command" \
  'grep -q "100 MB/s, 1 GB/s" out/node_one.yaml && grep -q "HyperBus clock and DDR" out/node_one.yaml && grep -q "mcusim run at 300 MB/s" out/node_one.yaml && grep -q "mcusim calibrate ../one.yaml" out/node_one.yaml'
check "overlay has no date or host" '! grep -qi "$(hostname)" out/node_one.yaml && ! grep -q "$(date +%Y-%m-%d)" out/node_one.yaml'
cp out/node_one.yaml first.yaml
cp one.json first.json
"$MCUSIM" calibrate one.yaml -j 1 --out one.json >/dev/null 2>&1
check "rerun with -j 1 writes the same overlay and report byte for byte" \
  'cmp -s first.yaml out/node_one.yaml && cmp -s first.json one.json'
TEXT=$(fitted_text system.node.hyperram.bandwidth one.json)
cat >with_overlay.yaml <<EOF
base: $EXP
system:
  node: !include out/node_one.yaml
EOF
check "the overlay loads (!include) and resolves to the simulated value" \
  '[ -n "$TEXT" ] && [ "$(resolved with_overlay.yaml)" = "$(resolved "$EXP" --set "system.node.hyperram.bandwidth=$TEXT")" ]'
cat >with_base.yaml <<EOF
base: $EXP
system:
  node: {base: out/node_one.yaml}
EOF
check "the overlay loads (base:) the same way" \
  '[ "$(resolved with_base.yaml)" = "$(resolved with_overlay.yaml)" ]'

# --- two parameters: bandwidth from 1 chip, clock from 8 chips ---
SETS=(--set "system.node.hyperram.bandwidth=300 MB/s" --set "system.node.clock=300 MHz")
A1=$(figure 1 latency_ms "${SETS[@]}") && A8=$(figure 8 latency_ms "${SETS[@]}") || bad "reference runs"
cat >two.yaml <<EOF
experiment: $EXP
output:
  node: {base: $NODE, file: out/node_two.yaml}
parameters:
  - {key: system.node.hyperram.bandwidth, min: 100 MB/s, max: 1 GB/s, reason: "test"}
  - {key: system.node.clock, min: 200 MHz, max: 600 MHz, start: 500 MHz, reason: "test"}
targets:
  - {chips: 1, metric: latency_ms, value: $A1, source: "run"}
  - {chips: 8, metric: latency_ms, value: $A8, weight: 2, source: "run"}
EOF
"$MCUSIM" calibrate two.yaml --out two.json >two.out 2>two.err
check "two parameters: exit 0" '[ $? -eq 0 ] || { cat two.err; false; }'
BW=$(fitted system.node.hyperram.bandwidth two.json)
CLK=$(fitted system.node.clock two.json)
check "two parameters: bandwidth $BW within 1 % of 300 MB/s" 'within_1pct "$BW" 300e6'
check "two parameters: clock $CLK within 1 % of 300 MHz" 'within_1pct "$CLK" 300e6'

# --- a relative metric: bandwidth from the 8-chip speedup, latency(1 chip) /
# latency(8 chips) of the reference runs (calibrate runs 1 chip too) ---
L8=$(figure 8 latency_ms --set "system.node.hyperram.bandwidth=300 MB/s") || bad "reference run"
cat >speedup.yaml <<EOF
experiment: $EXP
output:
  node: {base: $NODE, file: out/node_speedup.yaml}
parameters:
  - {key: system.node.hyperram.bandwidth, min: 100 MB/s, max: 1 GB/s, start: 150 MB/s, reason: "test"}
targets:
  - {chips: 8, metric: speedup, value: $(awk -v a="$L1" -v b="$L8" 'BEGIN { printf "%.9g", a / b }'), source: "run"}
EOF
"$MCUSIM" calibrate speedup.yaml --out speedup.json >/dev/null 2>speedup.err
check "speedup target: exit 0" '[ $? -eq 0 ] || { cat speedup.err; false; }'
BW=$(fitted system.node.hyperram.bandwidth speedup.json)
check "speedup target: bandwidth $BW within 1 % of 300 MB/s" 'within_1pct "$BW" 300e6'

# --- a link parameter: its own overlay over the link file ---
K8=$(figure 8 latency_ms --set "system.link.lane_rate=1 Gbps") || bad "reference run"
cat >link.yaml <<EOF
experiment: $EXP
output:
  link: {base: $LINK, file: out/link.yaml}
parameters:
  - {key: system.link.lane_rate, min: 0.5 Gbps, max: 4.5 Gbps, start: 2.5 Gbps, reason: "test"}
targets:
  - {chips: 8, metric: latency_ms, value: $K8, source: "run"}
EOF
"$MCUSIM" calibrate link.yaml --out link.json >/dev/null 2>link.err
check "link parameter: exit 0" '[ $? -eq 0 ] || { cat link.err; false; }'
RATE=$(fitted system.link.lane_rate link.json)
check "link parameter: lane_rate $RATE within 1 % of 1 Gbps" 'within_1pct "$RATE" 1e9'
TEXT=$(fitted_text system.link.lane_rate link.json)
cat >with_link.yaml <<EOF
base: $EXP
system:
  link: !include out/link.yaml
EOF
check "the link overlay loads and resolves to the simulated value" \
  '[ -n "$TEXT" ] && [ "$(resolved with_link.yaml)" = "$(resolved "$EXP" --set "system.link.lane_rate=$TEXT")" ]'

# --- unreachable inside the bounds: the value ends at a bound and says so ---
sed -e 's/max: 1 GB\/s/max: 250 MB\/s/' -e 's/start: 700 MB\/s/start: 150 MB\/s/' \
    -e 's/node_one.yaml/node_bound.yaml/' one.yaml >bound.yaml
"$MCUSIM" calibrate bound.yaml --out bound.json >bound.out 2>bound.err
check "at a bound: exit 0" '[ $? -eq 0 ] || { cat bound.err; false; }'
check "at a bound: flagged on stdout, in the report and in the overlay" \
  'grep -q "AT ITS UPPER BOUND" bound.out && grep -q "\"at_bound\": \"max\"" bound.json && grep -q "AT ITS UPPER BOUND" out/node_bound.yaml'
check "inside the bounds: nothing flagged" '! grep -q "AT ITS" one.out && ! grep -q "AT ITS" out/node_one.yaml'
exit $fail
