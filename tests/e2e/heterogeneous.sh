#!/usr/bin/env bash
# Heterogeneous systems (system.chips) through the command line:
# - --check is bit-exact with chips of different nodes (whole node files,
#   one without an NPU, a set: of clock and L2, another without a weight
#   memory) under both balances,
#   over chip counts below, at and above the overridden ranges, llama
#   autoregressive (3 inferences in flight too), llama prompt with the LM
#   head, and MobileBERT;
# - every chip given the same override is the homogeneous system with that
#   node: summary.csv and the point files (their stamps aside) byte for
#   byte, under both balances;
# - slowing one chip (equal balance) never makes the run faster;
# - chips.csv and summary.md's "Per chip" appear for points whose chips
#   differ, and only then: one row per chip, one straggler per point, the
#   straggler's finish is the latency; `mcusim run` shows node and clock
#   only where chips differ;
# - the trace names each chip's node and marks the straggler, the chip
#   whose program ends last (from the point file's finish_s);
# - the shipped example validates, and its printout loads back the same.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
cd "$scratch" || exit 1
cat >het.yaml <<EOF
base: $src/configs/experiments/paper/tinyllama_ar.yaml
name: het
reference: null
workload: {seq_len: 8, blocks: 2}
system:
  chips:
    - {chips: 0, node: !include $src/configs/nodes/siracusa_host.yaml}
    - {chips: "3-5", set: {name: slow, clock: 120 MHz, l2: {size: 3 MiB}}}
    - {chips: [6, "40-63"], set: {name: no-wmem, wmem: {size: 0 B}, clock: 200 MHz}}
    - {chips: 7, node: !include $src/configs/nodes/pulp_nonpu_wmem.yaml}
sweep: {chips: [1, 2, 3, 5, 8, 64]}
EOF

# --check, both balances, every chip count
"$bin" sweep het.yaml --sweep workload.partition.balance=equal,capacity --check -j 2 --out check \
    >/dev/null 2>check.err || { echo "FAIL sweep --check: exit $?"; cat check.err; fail=1; }
col=$(head -1 check/summary.csv | tr ',' '\n' | grep -n '^check$' | cut -d: -f1)
[ "$(awk -F, -v c="$col" 'NR > 1 && $c == "pass"' check/summary.csv | wc -l)" -eq 12 ] ||
    { echo "FAIL sweep --check: not 12 rows passing"; fail=1; }
for n in 3 7; do
    for bal in equal capacity; do
        out=$("$bin" run het.yaml --chips $n --check --set workload.mode=prompt --set workload.head=true \
              --set workload.partition.balance=$bal --set workload.partition.ffn_split=balanced 2>&1)
        [ $? -eq 0 ] && grep -q "check: passed" <<<"$out" ||
            { echo "FAIL prompt + head $bal $n chips --check"; echo "$out" | tail -2; fail=1; }
    done
done
out=$("$bin" run het.yaml --chips 5 --check --set workload.in_flight=3 \
      --set workload.partition.balance=capacity 2>&1)
[ $? -eq 0 ] && grep -q "check: passed" <<<"$out" ||
    { echo "FAIL capacity with 3 inferences in flight --check"; echo "$out" | tail -2; fail=1; }
for n in 2 3 4; do
    out=$("$bin" run het.yaml --chips $n --check --set workload.model=mobilebert \
          --set workload.mode=prompt --set workload.partition.balance=capacity 2>&1)
    [ $? -eq 0 ] && grep -q "check: passed" <<<"$out" ||
        { echo "FAIL mobilebert capacity $n chips --check"; echo "$out" | tail -2; fail=1; }
done

# the same override on every chip is the homogeneous system with that node
strip() { grep -v '"stamp"\|"wall_s"' "$1"; }
for bal in equal capacity; do
    "$bin" sweep het.yaml --timing-only -j 2 --out same_$bal --set workload.partition.balance=$bal \
        --set 'system.chips=[{chips: "0-63", set: {clock: 250 MHz, l2: {size: 4 MiB}}}]' \
        >/dev/null 2>&1 || { echo "FAIL sweep every chip overridden ($bal)"; fail=1; }
    "$bin" sweep het.yaml --timing-only -j 2 --out homo_$bal --set workload.partition.balance=$bal \
        --set 'system.chips=[]' --set 'system.node.clock=250 MHz' --set 'system.node.l2.size=4 MiB' \
        >/dev/null 2>&1 || { echo "FAIL sweep homogeneous ($bal)"; fail=1; }
    cmp -s same_$bal/summary.csv homo_$bal/summary.csv ||
        { echo "FAIL every chip overridden != homogeneous node ($bal): summary.csv"; fail=1; }
    for f in homo_$bal/points/*.json; do
        cmp -s <(strip "$f") <(strip "same_$bal/points/$(basename "$f")") ||
            { echo "FAIL every chip overridden != homogeneous node ($bal): $(basename "$f")"; fail=1; }
    done
    [ ! -e same_$bal/chips.csv ] && ! grep -q "## Per chip" same_$bal/summary.md ||
        { echo "FAIL chips alike, yet chips.csv or Per chip written ($bal)"; fail=1; }
done

# slowing one chip never makes the run faster (equal balance: its work stays)
for n in 2 5 8; do
    for k in 0 1 $((n - 1)); do
        prev=0
        for mhz in 360 300 200 120 60; do
            lat=$("$bin" run het.yaml --chips $n --timing-only --set 'system.chips=[]' \
                  --set "system.chips=[{chips: $k, set: {clock: $mhz MHz}}]" 2>&1 |
                  sed -n 's/^  latency *\([0-9.]*\) ms.*/\1/p')
            [ -n "$lat" ] && awk -v a="$lat" -v b="$prev" 'BEGIN { exit !(a >= b) }' ||
                { echo "FAIL $n chips, chip $k at $mhz MHz: latency $lat ms < $prev ms"; fail=1; }
            prev=${lat:-0}
        done
    done
done

# chips.csv and Per chip: the points whose chips differ, every chip, one straggler each
"$bin" sweep het.yaml --timing-only -j 2 --out tables >/dev/null 2>&1 || { echo "FAIL sweep tables"; fail=1; }
# 1 chip: only chip 0, nothing differs; 2, 3, 5, 8 and 64 chips differ
[ "$(($(wc -l <tables/chips.csv) - 1))" -eq $((2 + 3 + 5 + 8 + 64)) ] ||
    { echo "FAIL chips.csv: $(($(wc -l <tables/chips.csv) - 1)) rows, want 82"; fail=1; }
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { n[$1]++; s[$1] += $c["straggler"]; if ($c["finish_ms"] > f[$1]) f[$1] = $c["finish_ms"];
           if ($c["straggler"] == 1) sf[$1] = $c["finish_ms"] }
         END { for (p in n) if (s[p] != 1 || sf[p] != f[p]) { print "point " p; bad = 1 }; exit bad }' \
    tables/chips.csv || { echo "FAIL chips.csv: not one straggler per point, ending last"; fail=1; }
for p in c0002 c0064; do
    lat=$(grep -o '"latency_s": [0-9.e+-]*' tables/points/$p.json | awk '{printf "%.12g", $2 * 1e3}')
    st=$(awk -F, -v p=$p 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                          $1 == p && $c["straggler"] == 1 { print $c["finish_ms"] }' tables/chips.csv)
    awk -v a="$lat" -v b="$st" 'BEGIN { exit !(a - b < 1e-9 && b - a < 1e-9) }' ||
        { echo "FAIL $p: straggler finish $st ms is not the latency $lat ms"; fail=1; }
done
[ "$(grep -c '^### c0' tables/summary.md)" -eq 5 ] && grep -q "^Straggler: chip " tables/summary.md ||
    { echo "FAIL summary.md: not 5 Per chip tables with the straggler"; fail=1; }
grep -q "chips.csv" tables/README.md || { echo "FAIL README.md does not list chips.csv"; fail=1; }
"$bin" run het.yaml --chips 8 --timing-only >run8.txt 2>&1 &&
    grep -q " node .* clock Hz" run8.txt && grep -q "^| 3-5 | slow | 120 |" run8.txt ||
    { echo "FAIL run: no node and clock columns or grouped table"; fail=1; }
"$bin" run het.yaml --chips 8 --timing-only --set 'system.chips=[]' >run8h.txt 2>&1 &&
    ! grep -q " clock Hz" run8h.txt && ! grep -q "straggler" run8h.txt ||
    { echo "FAIL run of one node shows node or clock columns"; fail=1; }

# the trace: each chip's node, every chip's end, the straggler the one ending last
"$bin" run het.yaml --chips 8 --timing-only --trace t.json --out one >/dev/null 2>&1 ||
    { echo "FAIL run --trace"; fail=1; }
last=$(python3 - one/points/c0008.json <<'EOF'
import json, sys
pc = json.load(open(sys.argv[1]))["per_chip"]
print(max(range(len(pc)), key=lambda c: (pc[c]["finish_s"], -c)))
EOF
)
python3 - t.json "$last" <<'EOF' || { echo "FAIL trace: straggler or node names (want chip $last)"; fail=1; }
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
names = {e["pid"]: e["args"]["name"] for e in ev if e.get("name") == "process_name"}
assert names[1] == "chip 0: siracusa-host" and names[4] == "chip 3: slow" and names[7] == "chip 6: no-wmem", names
assert names[8] == "chip 7: pulp-nonpu-wmem", names
inst = [e for e in ev if e["ph"] == "i"]
assert len(inst) == 8 and all(e["args"]["wait_ms"] >= 0 for e in inst)
st = [e for e in inst if e["args"]["straggler"]]
assert len(st) == 1 and st[0]["pid"] == int(sys.argv[2]) + 1, st
assert st[0]["name"] == "straggler: chip %s finishes last" % sys.argv[2]
EOF

# the shipped example, and its printout loaded back
ex=$src/configs/experiments/beyond/heterogeneous_tinyllama_ar.yaml
"$bin" validate "$ex" >ex.yaml 2>ex.err || { echo "FAIL validate example"; cat ex.err; fail=1; }
grep -q '^    - chips: \["4-63"\]' ex.yaml || { echo "FAIL validate: chips 4-63 not printed"; fail=1; }
"$bin" validate ex.yaml >ex2.yaml 2>&1 && cmp -s <(tail -n +2 ex.yaml) <(tail -n +2 ex2.yaml) ||
    { echo "FAIL validate: the printed example does not resolve to itself"; fail=1; }

[ $fail -eq 0 ] && echo "ok   heterogeneous systems: bit-exact, same node = homogeneous, monotone in a chip's clock, per-chip tables, straggler"
exit $fail
