#!/usr/bin/env bash
# system.links: a link model per topology level or per chip pair.
# - a faster link on level 1 (inside the groups of fan_in chips) never makes
#   a run slower, and makes 16 chips with fan_in 4 strictly faster (the
#   group reductions are on its critical path);
# - --check stays bit-exact with the overrides;
# - giving every level of the tree the same model X is exactly system.link: X
#   (every figure equal), and naming every pair the schedule uses with
#   between: is too;
# - a transfer's cost check names the pair's own model: a plug-in on level 2
#   that returns NaN fails on a level-2 link naming the plug-in, while the
#   same plug-in honest runs.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
small=(--set workload.seq_len=8)
exp() { # NAME SYSTEM_LINES [LINK_FILE]: TinyLlama-42M on Siracusa, reduction tree of fan_in 4
    printf 'name: links\nsystem:\n  node: !include %s/configs/nodes/siracusa.yaml\n  link: !include %s/configs/links/%s\n  topology: {kind: reduction_tree, fan_in: 4}\n%s\nworkload: {model: tinyllama-42m, mode: autoregressive}\nsweep: {chips: [1, 16]}\n' \
        "$src" "$src" "${3:-mipi_dphy.yaml}" "$2" >"$scratch/$1.yaml"
}
exp plain ""
exp fast_l1 "  links:
    - {level: 1, link: {model: ideal}}"
exp serdes_all "" serdes.yaml
exp serdes_levels "  links:
    - {level: 1, link: !include $src/configs/links/serdes.yaml}
    - {level: 2, link: !include $src/configs/links/serdes.yaml}"
exp serdes_between "  links:
    - {between: [[0, 1], [0, 2], [0, 3], [4, 5], [4, 6], [4, 7], [8, 9], [8, 10], [8, 11],
                 [12, 13], [12, 14], [12, 15], [0, 4], [0, 8], [0, 12]],
       link: !include $src/configs/links/serdes.yaml}"
figures() { grep -v "wall$"; }

# faster level 1: no row slower, 16 chips strictly faster
cycles() { awk -F, 'NR > 1 {print $4, $5}' "$1/summary.csv"; }
"$bin" sweep "$scratch/plain.yaml" --chips 2,4,8,16 "${small[@]}" --timing-only -j 2 --out "$scratch/base" >/dev/null 2>&1 &&
"$bin" sweep "$scratch/fast_l1.yaml" --chips 2,4,8,16 "${small[@]}" --timing-only -j 2 --out "$scratch/fast" \
    >/dev/null 2>&1 || { echo "FAIL sweeps did not run"; exit 1; }
while read -r chips base chips2 faster; do
    [ "$chips" = "$chips2" ] || { echo "FAIL rows out of order: $chips and $chips2"; fail=1; }
    if [ "$faster" -gt "$base" ]; then echo "FAIL $chips chips: level-1 ideal is slower ($faster > $base cycles)"; fail=1; fi
    if [ "$chips" = 16 ] && [ "$faster" -ge "$base" ]; then
        echo "FAIL 16 chips: level-1 ideal not faster ($faster >= $base cycles)"; fail=1
    fi
done < <(paste -d' ' <(cycles "$scratch/base") <(cycles "$scratch/fast"))
[ "$(cycles "$scratch/fast" | wc -l)" -eq 4 ] || { echo "FAIL rows missing"; fail=1; }

# bit-exact with overrides
for f in fast_l1 serdes_levels; do
    out=$("$bin" run "$scratch/$f.yaml" --chips 16 "${small[@]}" --check 2>&1)
    if [ $? -ne 0 ] || ! grep -q "check: passed" <<<"$out"; then echo "FAIL $f --check"; echo "$out"; fail=1; fi
done

# every level (or every used pair) of X == X for all
"$bin" run "$scratch/serdes_all.yaml" --chips 16 "${small[@]}" --timing-only | figures >"$scratch/all.txt"
for f in serdes_levels serdes_between; do
    "$bin" run "$scratch/$f.yaml" --chips 16 "${small[@]}" --timing-only | figures >"$scratch/$f.txt"
    if ! cmp -s "$scratch/all.txt" "$scratch/$f.txt"; then
        echo "FAIL $f differs from system.link: serdes"; diff "$scratch/all.txt" "$scratch/$f.txt" | head; fail=1
    fi
done
cmp -s "$scratch/all.txt" <("$bin" run "$scratch/plain.yaml" --chips 16 "${small[@]}" --timing-only | figures) &&
    { echo "FAIL serdes and mipi_dphy give the same figures: the comparison proves nothing"; fail=1; }

# the cost check names the pair's model
plugin=$(cd "$(dirname "$bin")" && pwd)/plugins/libmcusim_test_bad_cost.so
[ -f "$plugin" ] || { echo "FAIL $plugin not built"; exit 1; }
exp bad_l2 "  links:
    - {level: 2, link: {plugin: $plugin, fault: nan_time}}"
"$bin" run "$scratch/bad_l2.yaml" --chips 16 "${small[@]}" --timing-only >"$scratch/bad.out" 2>"$scratch/bad.err"
rc=$?
if [ $rc -ne 1 ] || [ -s "$scratch/bad.out" ] || [ "$(wc -l <"$scratch/bad.err")" -ne 1 ] ||
   ! grep -qE "link (0|4|8|12)->(0|4|8|12): link plug-in 'bad_cost' \($plugin\): transfer\(bytes=[0-9]+\) returned time_s = nan s" "$scratch/bad.err"; then
    echo "FAIL bad level-2 plug-in: exit $rc, want 1 and one line naming a level-2 link and the plug-in"
    cat "$scratch/bad.err"; fail=1
fi
exp honest_l2 "  links:
    - {level: 2, link: {plugin: $plugin}}"
"$bin" run "$scratch/honest_l2.yaml" --chips 16 "${small[@]}" --timing-only >/dev/null 2>"$scratch/honest.err" ||
    { echo "FAIL honest level-2 plug-in: exit $?"; cat "$scratch/honest.err"; fail=1; }
[ $fail -eq 0 ] && echo "ok   links per level and per pair"
exit $fail
