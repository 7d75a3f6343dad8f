#!/usr/bin/env bash
# `mcusim links`: a plug-in is listed exactly as a built-in, and `--check`
# (the conformance harness) passes on every built-in and on both example
# plug-ins (C and C++), fails on a plug-in that returns NaN, naming the
# property; both examples run in an experiment, bit-exact under --check.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
plugins=$(dirname "$bin")/plugins
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$bin" links >"$scratch/all" 2>&1
check "links lists the built-ins" 'grep -q "^mipi_dphy: " "$scratch/all" && grep -q "^serdes: " "$scratch/all"'
"$bin" links "$plugins/libmcusim_example_link.so" >"$scratch/one" 2>&1
check "links PLUGIN.so lists the plug-in with its parameters" \
  'grep -q "^lossy_serial: " "$scratch/one" && grep -q "^    bit_error_rate " "$scratch/one"'
check "links of a missing plug-in: exit 2, one line" \
  '! "$bin" links "$scratch/none.so" 2>"$scratch/err" && [ $(wc -l <"$scratch/err") -eq 1 ]'
for m in ideal mipi_dphy mipi_cphy serdes "$plugins/libmcusim_example_link.so" \
         "$plugins/libmcusim_example_cpp_link.so"; do
    "$bin" links --check "$m" >"$scratch/c.out" 2>&1
    rc=$?
    check "--check $(basename "$m"): every property passes" \
      '[ $rc -eq 0 ] && [ $(grep -c "^  [a-z-]* *pass$" "$scratch/c.out") -eq 7 ]'
done
"$bin" links --check "$plugins/libmcusim_test_bad_cost.so" --set fault=nan_time >"$scratch/bad" 2>&1
rc=$?
check "--check fails on a NaN time: exit 1, 'finite' named" \
  '[ $rc -eq 1 ] && grep -q "^  finite *FAIL: .*transfer(bytes=0) returned time_s = nan" "$scratch/bad"'
"$bin" links --check "$plugins/libmcusim_test_bad_cost.so" --set fault=wire_short >"$scratch/bad2" 2>&1
check "--check fails on short wire bytes" '[ $? -eq 1 ] && grep -q "^  finite *FAIL" "$scratch/bad2"'
check "--check with a bad --set: exit 2" \
  '"$bin" links --check mipi_dphy --set lanes=99 >/dev/null 2>&1; [ $? -eq 2 ]'

# both examples drive a real run, bit-exact
for lib in libmcusim_example_link.so libmcusim_example_cpp_link.so; do
    cat >"$scratch/exp_$lib.yaml" <<YAML
name: plugin_run
system:
  node: !include $src/configs/nodes/siracusa.yaml
  link: {plugin: $plugins/$lib}
workload: {model: stories15m, mode: autoregressive, seq_len: 8}
sweep: {chips: [4]}
YAML
    check "$lib drives a 4-chip run, bit-exact" \
      '"$bin" run "$scratch/exp_$lib.yaml" --check >"$scratch/run.out" 2>&1 && grep -q "check: passed" "$scratch/run.out"'
done
exit $fail
