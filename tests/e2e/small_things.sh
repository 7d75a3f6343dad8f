#!/usr/bin/env bash
# The small things users hit (issue 15), each as the user meets it:
# - `--set KEY=!include PATH` resolves PATH against the experiment file, not
#   the working directory;
# - `--set system.link.model=X` on another model's map says the map is
#   merged and how to replace it;
# - a file that cannot be read is "FILE: cannot open: ...", without :0:0;
# - unit errors use the right article ("an energy per bit");
# - a cross-field error of a link model lands at the key it names.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch/elsewhere"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
exp=$src/configs/experiments/paper-datasheet/tinyllama_ar.yaml

(cd "$scratch/elsewhere" && "$bin" validate "$exp" --set 'system.link=!include ../../links/serdes.yaml') \
    >"$scratch/inc.out" 2>"$scratch/inc.err"
check "--set !include resolves against the experiment file (from another folder)" \
  '[ $? -eq 0 ] && grep -q "model: serdes" "$scratch/inc.out"'
(cd "$scratch/elsewhere" && "$bin" validate "$exp" --set 'system.link=!include no_such.yaml') \
    >/dev/null 2>"$scratch/inc2.err"
check "... and names the resolved path when it is missing" \
  'grep -q "configs/experiments/paper-datasheet/no_such.yaml" "$scratch/inc2.err"'

"$bin" validate "$exp" --set 'system.link=!include ../../links/serdes.yaml' \
    --set system.link.model=mipi_dphy >/dev/null 2>"$scratch/merge.err"
check "--set system.link.model on another model's map: merged, and how to replace it" \
  'grep -q "unknown key .* of model .mipi_dphy.: --set system.link.model changes the model only" "$scratch/merge.err" &&
   grep -q "system.link={model: mipi_dphy, ...}" "$scratch/merge.err" && [ $(wc -l <"$scratch/merge.err") -eq 1 ]'

"$bin" validate "$scratch/none.yaml" >/dev/null 2>"$scratch/missing.err"
check "a missing file: FILE: cannot open: ..." \
  'grep -qx "$scratch/none.yaml: cannot open: No such file or directory" "$scratch/missing.err"'

"$bin" validate "$exp" --set "system.link.energy_per_bit=5 pJ/B" >/dev/null 2>"$scratch/unit.err"
check "unit errors: 'is an energy per byte, expected an energy per bit'" \
  'grep -q "unit .pJ/B. is an energy per byte, expected an energy per bit" "$scratch/unit.err"'
"$bin" validate "$exp" --set "system.node.l2.size=2 MHz" >/dev/null 2>"$scratch/unit2.err"
check "unit errors: 'is a frequency, expected a size in bytes'" \
  'grep -q "unit .MHz. is a frequency, expected a size in bytes" "$scratch/unit2.err"'

# A model's cross-field rule is reported at the key it names: a link
# plug-in's create() as the node's (whose cases, with readable units, are
# tests/bad_configs/l1_all_reserved, l2_all_reserved, wmem_no_core_rate,
# wmem_no_npu_rate).
plugin=$(dirname "$bin")/plugins/libmcusim_test_bad_cost.so
printf '%s\n' "name: refuse" "system:" "  node: !include $src/configs/nodes/siracusa.yaml" \
    "  link:" "    plugin: $plugin" "    fault: refuse" "  topology: {kind: reduction_tree, fan_in: 4}" \
    "  links:" "    - {level: 1, link: {plugin: $plugin," "                        fault: refuse}}" \
    "workload: {model: tinyllama-42m, mode: autoregressive}" "sweep: {chips: [1, 2]}" \
    >"$scratch/refuse.yaml"
"$bin" validate "$scratch/refuse.yaml" >/dev/null 2>"$scratch/refuse.err"
check "a link model's create() error lands at the key it names" \
  '[ $? -eq 2 ] && grep -qx "$scratch/refuse.yaml:6:12: system.link.fault: .refuse. makes create() reject the parameters (test fixture)" "$scratch/refuse.err"'
sed -i '6s/refuse/none/' "$scratch/refuse.yaml"
"$bin" validate "$scratch/refuse.yaml" >/dev/null 2>"$scratch/refuse2.err"
check "... and in system.links, at the override's key" \
  '[ $? -eq 2 ] && grep -q "^$scratch/refuse.yaml:10:32: system.links\[0\].link.fault: " "$scratch/refuse2.err"'
exit $fail
