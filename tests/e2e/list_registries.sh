#!/usr/bin/env bash
# `mcusim list` shows every registry: each entry of every kind with its
# deprecated alias and every parameter key, exactly the ones the registries
# hold (tests/registry_dump prints them straight from the registries, beside
# the binary), and every model file of configs/models/ with every key of a
# model file. One kind lists alone, an unknown kind is one line with a
# did-you-mean (exit 2, nothing on stdout), a model file that does not load
# is its one error line (exit 2, nothing on stdout), and the parameters are
# printed exactly as `mcusim links` prints them.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
dump=$(dirname "$bin")/tests/registry_dump
[ -x "$dump" ] || { echo "FAIL: no $dump"; exit 1; }
"$dump" | sort >"$scratch/want" || { echo "FAIL: registry_dump"; exit 1; }
kinds="links collectives partitioners nodes models backends"

# `mcusim list` output in registry_dump's form: "== KIND" opens a kind, an
# unindented "NAME: doc" an entry, "    KEY  type..." a parameter of it
# (before the first entry of models: a key of a model file), and for models
# the indented line after an entry holds "KEY VALUE, ...".
records() {
    awk '
        /^== / { kind = $2; sub(/:$/, "", kind); entry = ""; next }
        /^$/ { next }
        /^[^ ]/ { entry = $0; sub(/: .*/, "", entry); print kind, entry; next }
        /^        / { next }   # a parameter doc
        /^    deprecated alias: / { print kind, entry, "alias", $3; next }
        /^    \(no parameters\)$/ { next }
        kind == "models" && entry != "" {
            n = split(substr($0, 5), kv, ", ")
            for (i = 1; i <= n; i++) { split(kv[i], w, " "); print kind, entry, "value", w[1] }
            next
        }
        /^    [^ ]/ { if (entry == "") print kind, "key", $1; else print kind, entry, "param", $1 }
    ' "$1" | sort
}

"$bin" list >"$scratch/all" 2>"$scratch/all_err" || { echo "FAIL list: exit $?"; cat "$scratch/all_err"; fail=1; }
[ -s "$scratch/all_err" ] && { echo "FAIL list wrote to stderr:"; cat "$scratch/all_err"; fail=1; }
heads=$(grep '^== ' "$scratch/all" | awk '{print $2}' | tr -d : | tr '\n' ' ')
[ "$heads" = "$kinds " ] || { echo "FAIL list: kinds '$heads', want '$kinds '"; fail=1; }

# What the models kind must show: every model file, with a value for every key.
{
    grep '^models key ' "$scratch/want"
    for f in "$src"/configs/models/*.yaml; do
        m=$(basename "$f" .yaml)
        echo "models $m"
        grep '^models key ' "$scratch/want" | awk -v m="$m" '{print "models", m, "value", $3}'
    done
} | sort >"$scratch/want_models"
grep -v '^models ' "$scratch/want" | cat - "$scratch/want_models" | sort >"$scratch/want_all"
n_models=$(ls "$src"/configs/models/*.yaml | wc -l)
[ "$n_models" -ge 3 ] || { echo "FAIL: only $n_models model files"; fail=1; }
for kind in $kinds; do
    grep -q "^$kind " "$scratch/want_all" || { echo "FAIL: registry_dump has no $kind"; fail=1; }
done

records "$scratch/all" >"$scratch/got_all"
if ! cmp -s "$scratch/got_all" "$scratch/want_all"; then
    echo "FAIL list: entries, aliases and parameters differ from the registries (< list, > registries):"
    diff "$scratch/got_all" "$scratch/want_all" | head -20
    fail=1
fi

# Each kind alone: its own header only, the same records as in the full list.
for kind in $kinds; do
    "$bin" list "$kind" >"$scratch/$kind" 2>"$scratch/${kind}_err" ||
        { echo "FAIL list $kind: exit $?"; cat "$scratch/${kind}_err"; fail=1; }
    [ "$(grep -c '^== ' "$scratch/$kind")" -eq 1 ] || { echo "FAIL list $kind: not one kind"; fail=1; }
    cmp -s <(records "$scratch/$kind") <(grep "^$kind " "$scratch/want_all") ||
        { echo "FAIL list $kind: differs from the registries"; fail=1; }
done

# The parameters exactly as `mcusim links` prints them (one printer).
"$bin" links >"$scratch/links_verb" || { echo "FAIL links: exit $?"; fail=1; }
after_header() { awk 'f; /^$/ && !f { f = 1 }' "$1"; }
after_header "$scratch/links_verb" >"$scratch/links_entries"
after_header "$scratch/links" >"$scratch/list_entries"
cmp -s "$scratch/links_entries" "$scratch/list_entries" ||
    { echo "FAIL: list links and links print the models differently"; diff "$scratch/links_entries" "$scratch/list_entries" | head; fail=1; }

# An unknown kind: one line with a did-you-mean, exit 2, nothing on stdout.
"$bin" list partitoners >"$scratch/bad_out" 2>"$scratch/bad_err"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL list partitoners: exit $rc, want 2"; fail=1; }
[ -s "$scratch/bad_out" ] && { echo "FAIL list partitoners wrote to stdout"; fail=1; }
[ "$(wc -l <"$scratch/bad_err")" -eq 1 ] && grep -q "unknown kind 'partitoners' (did you mean 'partitioners'?)" "$scratch/bad_err" ||
    { echo "FAIL list partitoners: want one did-you-mean line:"; cat "$scratch/bad_err"; fail=1; }

# A model file that does not load: its one error line, exit 2, nothing on stdout.
mkdir -p "$scratch/home/configs/models"
cp "$src"/configs/models/*.yaml "$scratch/home/configs/models/"
printf 'name: broken\narch: llama\ndim: 64\nn_layrs: 2\n' >"$scratch/home/configs/models/broken.yaml"
MCUSIM_HOME=$scratch/home "$bin" list models >"$scratch/broken_out" 2>"$scratch/broken_err"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL list models with a broken file: exit $rc, want 2"; fail=1; }
[ -s "$scratch/broken_out" ] && { echo "FAIL list models with a broken file wrote to stdout"; fail=1; }
[ "$(wc -l <"$scratch/broken_err")" -eq 1 ] && grep -q "broken.yaml:4:1: n_layrs: " "$scratch/broken_err" ||
    { echo "FAIL list models: want one line at broken.yaml:4:1:"; cat "$scratch/broken_err"; fail=1; }

[ $fail -eq 0 ] && echo "list: every entry of $(echo $kinds | wc -w) kinds with its parameters"
exit $fail
