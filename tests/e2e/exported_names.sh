#!/usr/bin/env bash
# Names: every symbol a library of the build exports starts with one of the
# prefixes docs/ARCHITECTURE.md gives that library (its table between the
# names:begin and names:end markers), and every library of the build is in
# that table. A function private to one file is static; one shared by the
# files of a module carries the module's prefix (pulp_ in models/, not
# pipeline_ or hyper_). The SystemC backend's C++ lives in namespace mcusim.
# Compiler-reserved names (__...) are not the project's.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
build=$(dirname "$bin")
doc=$src/docs/ARCHITECTURE.md
fail=0
command -v nm >/dev/null || { echo "FAIL: no nm (binutils) to list the libraries' symbols"; exit 1; }

# "LIBRARY PREFIX..." per row: | `mcusim_core` | `unit_` `param_` ... |
awk '/<!-- names:begin/ {on = 1; next} /<!-- names:end/ {on = 0}
     on && /^\| *`mcusim_/ {
         split($0, cell, "|"); lib = cell[2]; gsub(/[` ]/, "", lib)
         rest = cell[3]; line = lib
         while (match(rest, /`[^`]+`/)) { line = line " " substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) }
         print line
     }' "$doc" >"$scratch/prefixes"
[ "$(wc -l <"$scratch/prefixes")" -ge 10 ] || { echo "FAIL: no table of names in $doc"; exit 1; }

libs=$(find "$build" -name 'libmcusim_*.a' ! -path '*/CMakeFiles/*' | sort)
[ -n "$libs" ] || { echo "FAIL: no libmcusim_*.a under $build"; exit 1; }
checked=0
for a in $libs; do
    lib=$(basename "$a" .a); lib=${lib#lib}
    prefixes=$(awk -v l="$lib" '$1 == l { $1 = ""; print }' "$scratch/prefixes" | sed 's/^ *//')
    if [ -z "$prefixes" ]; then
        echo "FAIL $lib: not in the names table of docs/ARCHITECTURE.md"; fail=1; continue
    fi
    # strong definitions only (T D R B G S): template instances and inline
    # functions the C++ compiler emits as weak are SystemC's, not ours
    nm -g --defined-only -C "$a" 2>/dev/null |
        awk 'NF >= 3 && $2 ~ /^[TDRBGS]$/ { $1 = ""; $2 = ""; sub(/^  /, ""); print }' |
        grep -v '^__' | sort -u >"$scratch/$lib.syms"
    while read -r sym; do
        ok=0
        for p in $prefixes; do
            case $sym in "$p"*) ok=1; break ;; esac
        done
        [ $ok -eq 1 ] || { echo "FAIL $lib exports '$sym': no prefix of its own ($prefixes); make it static or give it its module's prefix"; fail=1; }
        checked=$((checked + 1))
    done <"$scratch/$lib.syms"
done
[ $checked -ge 300 ] || { echo "FAIL: only $checked symbols checked"; fail=1; }
[ $fail -eq 0 ] && echo "names: $checked exported symbols of $(echo "$libs" | wc -l) libraries carry their module's prefix"
exit $fail
