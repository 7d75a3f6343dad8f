#!/usr/bin/env bash
# Hostile inputs that cannot live as files in tests/bad_configs/ (empty,
# binary, huge, generated, special files, plug-ins, command-line values) or
# need another verb or exit code. Each must: exit with the right code (2 bad
# usage/config, 1 well-formed but cannot run), never by a signal, within a
# time limit; print exactly one stderr line that names where the problem is
# and contains the expected text; write nothing to stdout and no output file.
# Under build-asan/ the same script runs on the sanitized binary.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
good=$src/tests/bad_configs/parts/good.yaml
exp=$src/configs/experiments/paper/tinyllama_ar.yaml
fail=0 count=0

# hostile NAME WANT_RC EXPECT [OUTDIR] -- CMD...
# OUTDIR (or "-"): an --out folder that must not exist afterwards.
hostile() {
    local name=$1 want=$2 expect=$3 outdir=$4; shift 5
    count=$((count + 1))
    local t0=$SECONDS
    timeout 60 "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
    local rc=$? lines
    lines=$(wc -l <"$scratch/$name.err")
    if [ $rc -eq 124 ]; then echo "FAIL $name: hung (killed after 60 s)"; fail=1
    elif [ $rc -ge 128 ]; then echo "FAIL $name: died of signal $((rc - 128))"; cat "$scratch/$name.err"; fail=1
    elif [ $rc -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; cat "$scratch/$name.err"; fail=1
    elif [ -s "$scratch/$name.out" ]; then echo "FAIL $name: wrote to stdout"; head -3 "$scratch/$name.out"; fail=1
    elif [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines stderr lines, want 1:"; head -5 "$scratch/$name.err"; fail=1
    elif ! grep -qF -- "$expect" "$scratch/$name.err"; then
        echo "FAIL $name: want '$expect'"; echo "     got  '$(cat "$scratch/$name.err")'"; fail=1
    elif [ "$outdir" != - ] && [ -e "$outdir" ]; then echo "FAIL $name: wrote $outdir: $(ls -R "$outdir" | head -5)"; fail=1
    else echo "ok   $name ($((SECONDS - t0)) s)"; fi
}

d=$scratch/in
mkdir -p "$d/a_directory"
: >"$d/empty.yaml"
# every byte value, 16 times over: deterministic "binary garbage"
for _ in $(seq 16); do printf "$(printf '\\%03o' $(seq 0 255))"; done >"$d/garbage.yaml"
printf 'base: %s\nworkload: {seq_len: 8}\0trailing\n' "$good" >"$d/nul_byte.yaml"
ln -s loop_b.yaml "$d/loop_a.yaml"; ln -s loop_a.yaml "$d/loop_b.yaml"
# 50 MB: a valid head and a huge tail of comments
{ printf 'base: %s\n' "$good"; yes '# padding padding padding padding padding padding padding padding' | head -c 50000000; } >"$d/huge.yaml"
printf 'base: %s\n%s: 1\n' "$good" "$(head -c 1000 /dev/zero | tr '\0' k)" >"$d/long_key.yaml"
printf 'base: %s\nworkload: {seq_len: %s}\n' "$good" "$(head -c 100000 /dev/zero | tr '\0' 9)" >"$d/long_number.yaml"
printf 'base: %s\nworkload: {model: mobilebert, mode: prompt}\n' "$good" >"$d/mobilebert.yaml"
printf 'base: %s\nsystem: {node: {l1: {size: 17 KiB}}}\n' "$good" >"$d/tiny_l1.yaml"
echo "not an ELF file" >"$d/not_a_library.so"
plugin_cfg() { # FILE PLUGIN_PATH: a whole experiment whose link is the plug-in
    printf 'name: plugin\nsystem:\n  node: !include %s/configs/nodes/siracusa.yaml\n  link: {plugin: %s}\n  topology: {kind: reduction_tree, fan_in: 4}\nworkload: {model: tinyllama-42m, mode: autoregressive, seq_len: 8}\nsweep: {chips: [1, 2]}\n' "$src" "$2" >"$1"
}
plugin_cfg "$d/plugin_not_library.yaml" "$d/not_a_library.so"
plugin_cfg "$d/plugin_directory.yaml" "$d/a_directory"
plugin_cfg "$d/plugin_missing.yaml" "$d/no_such_library.so"

V=(validate)
hostile empty_file 2 "empty.yaml:1:1: (document): an experiment file must be a map" - -- "$bin" "${V[@]}" "$d/empty.yaml"
hostile binary_garbage 2 "garbage.yaml:1:1: (document): YAML syntax error" - -- "$bin" "${V[@]}" "$d/garbage.yaml"
hostile nul_byte 2 "nul_byte.yaml:" - -- "$bin" "${V[@]}" "$d/nul_byte.yaml"
hostile directory 2 "a_directory: cannot read: Is a directory" - -- "$bin" "${V[@]}" "$d/a_directory"
hostile dev_zero 2 "/dev/zero: cannot read: not a regular file" - -- "$bin" "${V[@]}" /dev/zero
hostile symlink_loop 2 "loop_a.yaml: cannot open: Too many levels of symbolic links" - -- "$bin" "${V[@]}" "$d/loop_a.yaml"
hostile missing_file 2 "no_such.yaml: cannot open: No such file or directory" - -- "$bin" "${V[@]}" "$d/no_such.yaml"
hostile huge_file 2 "huge.yaml: cannot read: larger than 16 MiB" - -- "$bin" "${V[@]}" "$d/huge.yaml"
hostile long_key 2 "long_key.yaml:2:1: kkkkkkkk" - -- "$bin" "${V[@]}" "$d/long_key.yaml"
hostile long_number 2 "long_number.yaml:2:21: workload.seq_len: integer '999999" - -- "$bin" "${V[@]}" "$d/long_number.yaml"
hostile plugin_not_library 2 "plugin_not_library.yaml:4:18: system.link.plugin: link plug-in '$d/not_a_library.so': not a loadable shared library" - -- "$bin" "${V[@]}" "$d/plugin_not_library.yaml"
hostile plugin_directory 2 "plugin_directory.yaml:4:18: system.link.plugin: link plug-in '$d/a_directory': not a loadable shared library" - -- "$bin" "${V[@]}" "$d/plugin_directory.yaml"
hostile plugin_missing 2 "plugin_missing.yaml:4:18: system.link.plugin: link plug-in '$d/no_such_library.so': file not found" - -- "$bin" "${V[@]}" "$d/plugin_missing.yaml"
if command -v cc >/dev/null && echo 'int unrelated(void) { return 0; }' >"$d/nosym.c" &&
   cc -shared -fPIC -o "$d/libnosym.so" "$d/nosym.c" 2>/dev/null; then
    plugin_cfg "$d/plugin_no_symbol.yaml" "$d/libnosym.so"
    hostile plugin_no_symbol 2 "plugin_no_symbol.yaml:4:18: system.link.plugin: link plug-in '$d/libnosym.so': missing symbol 'mcusim_link_model'" - -- "$bin" "${V[@]}" "$d/plugin_no_symbol.yaml"
else
    echo "FAIL plugin_no_symbol: no C compiler to build the symbol-less library"; fail=1
fi

# run: well-formed experiments that cannot run, and hostile command-line values
o=$scratch/outs
hostile heads_cannot_split 2 "mobilebert.yaml: workload: mobilebert has 4 heads, cannot split over 8 chips" "$o/mb" -- \
    "$bin" run "$d/mobilebert.yaml" --chips 8 --timing-only --out "$o/mb"
hostile l1_too_small 1 "does not fit L1" "$o/l1" -- \
    "$bin" run "$d/tiny_l1.yaml" --chips 1 --timing-only --out "$o/l1"
hostile chips_2pow64 2 "--chips expects a number 1..4096, got '18446744073709551616'" "$o/c64" -- \
    "$bin" run "$exp" --chips 18446744073709551616 --out "$o/c64"
hostile chips_zero_cli 2 "--chips expects a number 1..4096, got '0'" "$o/c0" -- "$bin" run "$exp" --chips 0 --out "$o/c0"
hostile set_huge_number 2 "--set:1:18: workload.seq_len: integer '99999999999999999999' is too large" "$o/sn" -- \
    "$bin" run "$exp" --set workload.seq_len=99999999999999999999 --out "$o/sn"
hostile set_1e30_mib 2 "--set:1:21: system.node.l2.size: value 1.048576e+36 B out of range" "$o/sm" -- \
    "$bin" run "$exp" --set "system.node.l2.size=1e30 MiB" --out "$o/sm"
hostile set_no_value 2 "--set" "$o/sv" -- "$bin" run "$exp" --set workload.seq_len --out "$o/sv"
hostile set_empty_key 2 "--set" "$o/sk" -- "$bin" run "$exp" --set =5 --out "$o/sk"
hostile set_wrong_dimension 2 "system.link.lane_rate: unit 'MiB' is a size in bytes" "$o/sd" -- \
    "$bin" run "$exp" --set "system.link.lane_rate=2 MiB" --out "$o/sd"
hostile set_zero_rate 2 "system.node.hyperram.bandwidth: value 0" "$o/sz" -- \
    "$bin" run "$exp" --set "system.node.hyperram.bandwidth=0 MB/s" --out "$o/sz"

# sweep: hostile options never start a point or write a folder
hostile sweep_jobs_zero 2 "-j '0'" "$o/j0" -- "$bin" sweep "$exp" -j 0 --out "$o/j0"
hostile sweep_shard_beyond 2 "--shard '4/3'" "$o/sh" -- "$bin" sweep "$exp" --shard 4/3 --out "$o/sh"
hostile sweep_chips_2pow64 2 "18446744073709551616" "$o/sc" -- "$bin" sweep "$exp" --chips 1,18446744073709551616 --out "$o/sc"
hostile sweep_bad_config 2 "garbage.yaml:1:1: (document): YAML syntax error" "$o/sg" -- "$bin" sweep "$d/garbage.yaml" --out "$o/sg"

# FIFOs: open() blocks on a FIFO without a writer, so every file mcusim
# reads is opened non-blocking and its type checked before reading
mkfifo "$d/fifo.yaml" "$d/fifo.so"
printf 'base: %s\nsystem: {node: !include fifo.yaml}\n' "$good" >"$d/include_fifo.yaml"
printf 'base: fifo.yaml\n' >"$d/base_fifo.yaml"
plugin_cfg "$d/plugin_fifo.yaml" "$d/fifo.so"
mkdir -p "$d/shard_fifo"; mkfifo "$d/shard_fifo/sweep.json"
hostile fifo_experiment 2 "fifo.yaml: cannot read: not a regular file (a FIFO)" - -- "$bin" "${V[@]}" "$d/fifo.yaml"
hostile fifo_include 2 "include_fifo.yaml:2:16: system.node: cannot read '$d/fifo.yaml': not a regular file (a FIFO)" - -- "$bin" "${V[@]}" "$d/include_fifo.yaml"
hostile fifo_base 2 "base_fifo.yaml:1:7: base: cannot read '$d/fifo.yaml': not a regular file (a FIFO)" - -- "$bin" "${V[@]}" "$d/base_fifo.yaml"
hostile fifo_plugin 2 "plugin_fifo.yaml:4:18: system.link.plugin: link plug-in '$d/fifo.so': not a loadable shared library: a FIFO, not a regular file" - -- "$bin" "${V[@]}" "$d/plugin_fifo.yaml"
hostile fifo_sweep_json 2 "mcusim merge: $d/shard_fifo/sweep.json: not a regular file (a FIFO)" - -- "$bin" merge "$d/shard_fifo"
hostile fifo_run 2 "fifo.yaml: cannot read: not a regular file (a FIFO)" "$o/ff" -- "$bin" run "$d/fifo.yaml" --out "$o/ff"

# an experiment name is one folder name: it cannot climb out of results/
mkdir -p "$o/w/a/b"
hostile sweep_name_escapes 2 "--set:1:6: name: '../../escaped' cannot name the results folder" "$o/w/a/escaped" -- \
    bash -c 'cd "$1" && exec "$2" sweep "$3" --set name=../../escaped --timing-only --chips 1' - "$o/w/a/b" "$bin" "$exp"

# output paths: mcusim renames its files over the target, which would
# replace a FIFO or a device; checked before anything is simulated
mkfifo "$d/trace.fifo"; echo keep >"$d/a_file"
hostile trace_fifo 2 "mcusim run: --trace '$d/trace.fifo': a FIFO; give a regular file or a new path" - -- \
    "$bin" run "$exp" --chips 2 --timing-only --trace "$d/trace.fifo"
hostile trace_char_device 2 "mcusim run: --trace '/dev/null': a character device; give a regular file or a new path" - -- \
    "$bin" run "$exp" --chips 2 --timing-only --trace /dev/null
hostile trace_directory 2 "mcusim run: --trace '$d/a_directory': a directory" - -- \
    "$bin" run "$exp" --chips 2 --timing-only --trace "$d/a_directory"
hostile trace_no_folder 2 "mcusim run: --trace '$d/no_such/t.json': folder '$d/no_such': No such file or directory" - -- \
    "$bin" run "$exp" --chips 2 --timing-only --trace "$d/no_such/t.json"
hostile run_out_file 2 "mcusim run: --out '$d/a_file': a regular file, not a folder" - -- \
    "$bin" run "$exp" --chips 2 --timing-only --out "$d/a_file"
hostile sweep_out_fifo 2 "mcusim sweep: --out '$d/trace.fifo': a FIFO, not a folder" - -- \
    "$bin" sweep "$exp" --chips 1 --timing-only --out "$d/trace.fifo"
hostile sweep_out_below_file 2 "mcusim sweep: --out '$d/a_file/sub': '$d/a_file' is a regular file, not a folder" - -- \
    "$bin" sweep "$exp" --chips 1 --timing-only --out "$d/a_file/sub"
hostile merge_out_char_device 2 "mcusim merge: --out '/dev/null': a character device, not a folder" - -- \
    "$bin" merge --out /dev/null "$d"
hostile reproduce_out_fifo 2 "mcusim reproduce: --out '$d/trace.fifo': a FIFO, not a folder" - -- \
    "$bin" reproduce --timing-only --out "$d/trace.fifo"
[ -p "$d/trace.fifo" ] && [ "$(cat "$d/a_file")" = keep ] || { echo "FAIL an output check replaced its target"; fail=1; }

# --check needs the output bits, which --timing-only does not compute
hostile run_check_timing_only 2 "mcusim run: --check compares the output bits, which --timing-only does not compute" "$o/ct" -- \
    "$bin" run "$exp" --chips 2 --check --timing-only --out "$o/ct"
hostile sweep_check_timing_only 2 "mcusim sweep: --check compares the output bits, which --timing-only does not compute" "$o/st" -- \
    "$bin" sweep "$exp" --chips 2 --timing-only --check --out "$o/st"

# memory: the estimate refuses what cannot fit before anything is built.
# Every workload dim at its maximum needs about an exabyte of tensors, far
# above half of any machine's RAM (the default limit).
max_dims='workload.dims={dim: 65536, n_layers: 1024, n_heads: 4096, head_dim: 4096, ffn_hidden: 1048576, max_seq: 1048576}'
hostile dims_at_max 2 "64 chips functional would need about" "$o/dm" -- \
    "$bin" run "$exp" --chips 64 --set "$max_dims" --set workload.seq_len=65536 --out "$o/dm"
hostile dims_at_max_timing 2 "1 chip timing-only would need about" "$o/dt" -- \
    "$bin" run "$exp" --chips 1 --timing-only --set "$max_dims" --max-memory 4GiB --out "$o/dt"
hostile max_memory_run 2 "more than the 16 MiB allowed (--max-memory" "$o/mr" -- \
    "$bin" run "$exp" --chips 2 --check --max-memory 16MiB --out "$o/mr"
hostile max_memory_validate 2 "sweep.chips[0]: 1 chip: 1 chip functional would need about" - -- \
    "$bin" validate "$exp" --max-memory "1 MiB"
hostile max_memory_sweep 2 "mcusim sweep: $exp: 1 chip functional would need about" "$o/ms" -- \
    "$bin" sweep "$exp" --max-memory "1 MiB" --out "$o/ms"
hostile max_memory_unit 2 "mcusim run: --max-memory '4 GHz': unit 'GHz' is a frequency" "$o/mu" -- \
    "$bin" run "$exp" --max-memory "4 GHz" --out "$o/mu"
hostile max_memory_reproduce 2 "mcusim reproduce: --max-memory 'lots'" "$o/mp" -- \
    "$bin" reproduce --max-memory lots --out "$o/mp"
# validate checks placement like run: a node whose L1 cannot hold one tile
hostile validate_l1_too_small 1 "good.yaml:9:17: sweep.chips[0]: 1 chip: chip 0: op 'b0.attn.norm' (norm, 1 rows) does not fit L1" - -- "$bin" validate "$d/tiny_l1.yaml"
# --sweep axes: every value is checked before any point runs (labelled
# --sweep, exit 2, no folder), and an axis that would sweep one key twice,
# one value twice, or the chip counts is refused
hostile sweep_unknown_key 2 "--sweep:1:1: workload.foo: unknown key 'foo'" "$o/sk" -- \
    "$bin" sweep "$exp" --sweep workload.foo=1,2 --out "$o/sk"
hostile sweep_value_out_of_range 2 "--sweep:1:20: workload.seq_len: value 999999 out of range" "$o/sr" -- \
    "$bin" sweep "$exp" --timing-only --sweep workload.seq_len=8,999999 --out "$o/sr"
hostile sweep_wrong_unit 2 "--sweep:1:27: system.node.l2.size: unit 'MHz'" "$o/su" -- \
    "$bin" sweep "$exp" --sweep "system.node.l2.size=2 MiB,4 MHz" --out "$o/su"
hostile sweep_key_twice 2 "--sweep workload.seq_len: the key is already swept" "$o/s2" -- \
    "$bin" sweep "$exp" --sweep workload.seq_len=8,16 --sweep workload.seq_len=32 --out "$o/s2"
hostile sweep_key_inside_other 2 "--sweep system.node.l2.size: the key is already swept by --sweep system.node.l2" "$o/sn" -- \
    "$bin" sweep "$exp" --sweep "system.node.l2={size: 2 MiB}" --sweep "system.node.l2.size=4 MiB" --out "$o/sn"
hostile sweep_key_also_set 2 "--sweep workload.seq_len: the key is also given by --set workload.seq_len=8" "$o/ss" -- \
    "$bin" sweep "$exp" --set workload.seq_len=8 --sweep workload.seq_len=16,32 --out "$o/ss"
hostile sweep_value_twice 2 "--sweep workload.seq_len: value '8' given twice" "$o/sv" -- \
    "$bin" sweep "$exp" --sweep workload.seq_len=8,16,8 --out "$o/sv"
hostile sweep_same_config 2 "--sweep: system.node.l2.size=2 MiB and system.node.l2.size=2048 KiB resolve to the same configuration" "$o/sc" -- \
    "$bin" sweep "$exp" --sweep "system.node.l2.size=2 MiB,2048 KiB" --out "$o/sc"
hostile sweep_chips_axis 2 "--sweep sweep.chips: sweep.* cannot be an axis" "$o/sx" -- \
    "$bin" sweep "$exp" --sweep "sweep.chips=[1],[2]" --out "$o/sx"
hostile sweep_point_timeout 2 "--point-timeout '0'" "$o/st" -- "$bin" sweep "$exp" --point-timeout 0 --out "$o/st"
hostile sweep_point_timeout_nan 2 "--point-timeout 'nan'" "$o/st" -- "$bin" sweep "$exp" --point-timeout nan --out "$o/st"
hostile reproduce_point_timeout 2 "--point-timeout '-1'" "$o/rt" -- "$bin" reproduce --point-timeout -1 --out "$o/rt"

# merge: hostile sweep.json and point files are named, never joined
m=$scratch/merge
mkdir -p "$m/garbage/points" "$m/old/points" "$m/huge/points"
head -c 4096 "$d/garbage.yaml" >"$m/garbage/sweep.json"
printf '{"experiment_path": "%s", "set": [], "timing_only": true}\n' "$exp" >"$m/old/sweep.json"
printf '{"experiment_path": "%s", "set": [], "mcusim_version": "x", "mode": "timing-only", "config_sha256": "00", "chips": [1, 2], "sweep": [], "points": []}\n' "$exp" >"$m/huge/sweep.json"
hostile merge_garbage_record 2 "garbage/sweep.json: line 1 col 1" "$o/mg" -- "$bin" merge --out "$o/mg" "$m/garbage"
hostile merge_old_record 2 "old/sweep.json: no provenance stamp (written by an older mcusim)" "$o/mo" -- "$bin" merge --out "$o/mo" "$m/old"
hostile merge_plan_mismatch 2 "huge/sweep.json: 'points' lists 0 points, the chips and axes make 2" "$o/mh" -- "$bin" merge --out "$o/mh" "$m/huge"
hostile merge_no_dirs 2 "usage: mcusim merge" - -- "$bin" merge
hostile merge_unknown_option 2 "unknown option '--force'" - -- "$bin" merge --force "$m/old"

echo "$count hostile inputs"
exit $fail
