#!/usr/bin/env bash
# The include rules of docs/ARCHITECTURE.md, read from its table of floors
# (between the floors:begin and floors:end markers), so the document and
# this check cannot drift apart:
# - every project include ("...") of a file on a floor is written relative
#   to that file and names an existing file;
# - it stays in the file's own folder or goes to a folder on a lower floor:
#   never up, never sideways to another folder of the same floor; so core/
#   (floor 0) includes nothing outside core/, and nothing outside sim/
#   includes a path under sim/;
# - a link plug-in (interconnect/examples/, tests/plugins/) includes only
#   core/, the one folder the plug-in ABI promises it needs.
# The source tree is checked as found; the binary is not used.
set -u
src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
doc=$src/docs/ARCHITECTURE.md
fail=0

# "FLOOR FOLDER" per folder of the table: `| 2 | `sim/experiment/` | ...`.
awk '/<!-- floors:begin/ {on = 1; next} /<!-- floors:end/ {on = 0}
     on && /^\| *[0-9]+ *\|/ {
         split($0, cell, "|"); floor = cell[2]; gsub(/ /, "", floor)
         rest = cell[3]
         while (match(rest, /`[^`]+`/)) {
             f = substr(rest, RSTART + 1, RLENGTH - 2); sub(/\/$/, "", f)
             print floor, f
             rest = substr(rest, RSTART + RLENGTH)
         }
     }' "$doc" >"$scratch/floors"
[ "$(wc -l <"$scratch/floors")" -ge 8 ] || { echo "FAIL: no table of floors in $doc"; cat "$scratch/floors"; exit 1; }
for f in $(awk '{print $2}' "$scratch/floors"); do
    [ -d "$src/$f" ] || { echo "FAIL: $doc names folder $f, which does not exist"; fail=1; }
done

# Every "file include" pair of the project's sources, the include resolved
# against the including file's folder (relative to the source tree).
sources() {
    for f in $(awk '{print $2}' "$scratch/floors") interconnect/examples tests/plugins; do
        find "$src/$f" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \)
    done | sort -u
}
sources | xargs -r -d '\n' awk -v src="$src/" '
    /^[ \t]*#[ \t]*include[ \t]*"/ {
        inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
        file = FILENAME; dir = file; sub(/\/[^\/]*$/, "", dir)
        printf "%s\t%s\t%s/%s\n", substr(file, length(src) + 1), inc, dir, inc
    }' >"$scratch/pairs"
cut -f3 "$scratch/pairs" | xargs -r -d '\n' realpath -m --relative-to="$src" >"$scratch/resolved"
paste "$scratch/pairs" "$scratch/resolved" | cut -f1,2,4 >"$scratch/includes"
[ "$(wc -l <"$scratch/includes")" -ge 300 ] || { echo "FAIL: only $(wc -l <"$scratch/includes") includes found"; fail=1; }

# Every file of the tree (relative paths), to tell which includes exist.
(cd "$src" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) | sed 's|^\./||') >"$scratch/files"

# The folder (longest match in the table) and floor of each side.
awk -v floors="$scratch/floors" -v files="$scratch/files" '
    BEGIN {
        FS = "\t"
        while ((getline line < floors) > 0) { split(line, w, " "); fl[w[2]] = w[1] }
        while ((getline line < files) > 0) exists[line] = 1
    }
    function folder_of(p,   f, best) {
        best = ""
        for (f in fl) if ((p == f || index(p, f "/") == 1) && length(f) > length(best)) best = f
        return best
    }
    function plugin(p) { return index(p, "interconnect/examples/") == 1 || index(p, "tests/plugins/") == 1 }
    {
        file = $1; inc = $2; to = $3
        if (plugin(file)) {
            # beside the plug-in (its own files), or on its include path: core/
            if (exists[to] && (index(to, "interconnect/examples/") == 1 || index(to, "tests/plugins/") == 1)) next
            if (exists["core/" inc]) next
            printf "FAIL %s: includes \"%s\", which is not in core/ (a plug-in needs only core/)\n", file, inc
            bad = 1; next
        }
        if (!exists[to]) {
            printf "FAIL %s: \"%s\" is not a file relative to it (write project includes relative to the including file)\n", file, inc
            bad = 1; next
        }
        from = folder_of(file); dest = folder_of(to)
        if (dest == "") { printf "FAIL %s: includes %s, outside every floor\n", file, to; bad = 1; next }
        if (dest == from) next
        if (fl[dest] + 0 < fl[from] + 0) next
        printf "FAIL %s (floor %s): includes %s (%s, floor %s): %s\n", file, fl[from], to, dest, fl[dest],
               fl[dest] == fl[from] ? "sideways on one floor" : "upward"
        bad = 1
    }
    END { exit bad }' "$scratch/includes" || fail=1

[ $fail -eq 0 ] && echo "include rules: $(wc -l <"$scratch/includes") includes of $(cut -f1 "$scratch/includes" | sort -u | wc -l) files follow the $(awk '{print $1}' "$scratch/floors" | sort -u | wc -l) floors"
exit $fail
