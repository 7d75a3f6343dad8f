#!/usr/bin/env bash
# mcusim sensitivity: signs where the physics is obvious, exactly 0 where a
# parameter cannot matter, one elasticity recomputed from two independent
# `mcusim run`s, the files exist and parse, skipped parameters are listed.
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH" || exit 1
EXP=$SRC/tests/bad_calib/parts/tinyllama_ar.yaml
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

# col CSV PARAMETER COLUMN: one cell of sensitivity.csv (no quoted fields in these rows)
col() {
  awk -F, -v p="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
                                 $1 == p { print $k; exit }' "$1"
}

# GEMMs on the cluster: the NPU's speed cannot matter.
"$MCUSIM" sensitivity "$EXP" --chips 1 --set system.node.npu.offload=cluster --out s1 >s1.out 2>s1.err
check "1 chip: exit 0" '[ $? -eq 0 ] || { cat s1.err; false; }'
CSV=s1/sensitivity.csv
check "1 chip: latency elasticity to hyperram.bandwidth is negative" \
  'awk -v e="$(col $CSV system.node.hyperram.bandwidth latency_ms_elasticity)" "BEGIN { exit !(e != \"\" && e < 0) }"'
check "1 chip: energy elasticity to cluster.energy_per_mac is positive" \
  'awk -v e="$(col $CSV system.node.cluster.energy_per_mac energy_mj_elasticity)" "BEGIN { exit !(e != \"\" && e > 0) }"'
for m in latency_ms energy_mj speedup edp_gain; do
  check "1 chip: $m elasticity to npu.macs_per_cycle is exactly 0" \
    '[ "$(col $CSV system.node.npu.macs_per_cycle ${m}_elasticity)" = "0" ]'
done
check "1 chip: speedup and EDP gain do not move (1 by definition)" \
  '[ "$(col $CSV system.node.hyperram.bandwidth speedup_elasticity)" = "0" ] && [ "$(col $CSV system.node.hyperram.bandwidth edp_gain_elasticity)" = "0" ]'
check "strings, names and flags are listed as skipped" \
  'col $CSV system.node.npu.offload skipped | grep -q "not a number" && col $CSV system.node.name skipped | grep -q "not a number"'
check "a parameter whose value is 0 is listed as skipped" \
  '"$MCUSIM" sensitivity "$EXP" --chips 1 --set "system.node.hyperram.latency=0 ns" --out s0 >/dev/null 2>&1 && col s0/sensitivity.csv system.node.hyperram.latency skipped | grep -q "value is 0"'
check "rows sorted by the largest |elasticity|, skipped rows last" \
  'awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i ~ /_elasticity\$/) e[i] = 1; next }
            { m = -1; for (i in e) if (\$i != \"\" && (\$i < 0 ? -\$i : \$i) > m) m = (\$i < 0 ? -\$i : \$i)
              if (\$NF != \"\") { skipped = 1; next } if (skipped || (NR > 2 && m > prev + 1e-12)) exit 1; prev = m }" $CSV'
check "the ratios are the simulated values over the base" \
  'awk -F, "NR > 1 && \$NF == \"\" { if ((\$4 / \$3) / \$6 > 1.0001 || (\$4 / \$3) / \$6 < 0.9999 || (\$5 / \$3) / \$7 > 1.0001 || (\$5 / \$3) / \$7 < 0.9999) exit 1 }" $CSV'

# The elasticity of latency to the HyperRAM bandwidth, recomputed from two
# plain runs at 160 and 240 MB/s (the base is 200 MB/s in siracusa.yaml).
lat() {
  "$MCUSIM" run "$EXP" --chips 1 --timing-only --set system.node.npu.offload=cluster --set "system.node.hyperram.bandwidth=$1" --out "r$2" >/dev/null &&
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_ms") k = i; next } { print $k; exit }' "r$2/summary.csv"
}
BASE=$(col $CSV system.node.hyperram.bandwidth base)
UNIT=$(col $CSV system.node.hyperram.bandwidth unit)
LO=$(lat "$(col $CSV system.node.hyperram.bandwidth low) $UNIT" lo)
HI=$(lat "$(col $CSV system.node.hyperram.bandwidth high) $UNIT" hi)
E=$(col $CSV system.node.hyperram.bandwidth latency_ms_elasticity)
check "bandwidth elasticity $E equals (ln L+ - ln L-) / (ln 1.2 - ln 0.8) from two runs (base $BASE $UNIT)" \
  'awk -v lo="$LO" -v hi="$HI" -v e="$E" "BEGIN { x = (log(hi) - log(lo)) / (log(1.2) - log(0.8)); exit !(lo > 0 && (e - x < 1e-3 && x - e < 1e-3)) }"'

check "files: CSV and one tornado per metric" \
  '[ -s $CSV ] && for m in latency_ms energy_mj speedup edp_gain; do [ -s s1/tornado_$m.svg ] || exit 1; done'
if command -v xmllint >/dev/null; then
  check "tornado SVGs parse" 'xmllint --noout s1/tornado_*.svg'
else
  check "tornado SVGs end their document" 'for f in s1/tornado_*.svg; do tail -n 1 "$f" | grep -q "</svg>" || exit 1; done'
fi
check "CSV: every row has the header's column count" \
  'awk -F, "NR == 1 { n = NF } NF != n { exit 1 }" $CSV'
check "summary: one line per metric naming the bandwidth for latency" \
  'grep -q "latency_ms .*node.hyperram.bandwidth" s1.out && [ $(grep -c "^  [a-z_]* " s1.out) -eq $(ls s1/tornado_*.svg | wc -l) ]'

# On 8 chips speedup and EDP gain move too (relative to the 1-chip runs).
"$MCUSIM" sensitivity "$EXP" --chips 8 --delta 0.1 -j 2 --out s8 >/dev/null 2>s8.err
check "8 chips: exit 0" '[ $? -eq 0 ] || { cat s8.err; false; }'
check "8 chips, delta 0.1: ratios 0.9 and 1.1 for the clock, speedup elasticity set" \
  '[ "$(col s8/sensitivity.csv system.node.clock low_ratio)" = "0.9" ] && [ "$(col s8/sensitivity.csv system.node.clock high_ratio)" = "1.1" ] && [ -n "$(col s8/sensitivity.csv system.node.clock speedup_elasticity)" ] && [ "$(col s8/sensitivity.csv system.node.clock speedup_elasticity)" != "0" ]'

# Bad usage: exit 2, one line, nothing written.
"$MCUSIM" sensitivity "$EXP" --out nothing >o 2>e
check "--chips is required" '[ $? -eq 2 ] && [ $(wc -l <e) -eq 1 ] && [ ! -e nothing ]'
"$MCUSIM" sensitivity "$EXP" --chips 8 --delta 1.5 --out nothing >o 2>e
check "--delta outside (0, 1) is refused" '[ $? -eq 2 ] && grep -q "delta" e && [ ! -e nothing ]'
"$MCUSIM" sensitivity "$EXP" --chips 4096 --out nothing >o 2>e
check "--chips the workload cannot split over is refused" \
  '[ $? -eq 2 ] && [ $(wc -l <e) -eq 1 ] && grep -q "cannot be simulated" e && [ ! -e nothing ]'
"$MCUSIM" sensitivity "$EXP" --chips 8 --set "system.node.l2.size=2 MHz" --out nothing >o 2>e
check "a bad --set is one FILE:LINE:COL line" '[ $? -eq 2 ] && [ $(wc -l <e) -eq 1 ] && grep -q "^--set:1:" e && [ ! -e nothing ]'
exit $fail
