#!/usr/bin/env bash
# The small things users hit (issue 15), each as the user meets it:
# - `--set KEY=!include PATH` resolves PATH against the experiment file, not
#   the working directory;
# - `--set system.link.model=X` on another model's map says the map is
#   merged and how to replace it;
# - a file that cannot be read is "FILE: cannot open: ...", without :0:0;
# - unit errors use the right article ("an energy per bit").
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
exit $fail
