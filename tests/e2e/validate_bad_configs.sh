#!/usr/bin/env bash
# Every tests/bad_configs/*.yaml is rejected by `mcusim validate` (and by
# `mcusim run`, which checks nothing validate does not) with exit 2,
# nothing on stdout and exactly one stderr line that contains the text its
# first line announces ("# expect: FILE:LINE:COL: key.path: message"); " ... "
# in it separates parts that must appear in that order (for paths that
# depend on the directory the test runs from).
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
mkdir -p "$SCRATCH"
fail=0 count=0
contains_in_order() { # TEXT PATTERN: PATTERN's " ... "-separated parts occur in TEXT in order
  local text=$1 rest=$2 part
  while [ -n "$rest" ]; do
    part=${rest%% ... *}
    [ "$part" = "$rest" ] && rest="" || rest=${rest#* ... }
    case "$text" in *"$part"*) text=${text#*"$part"} ;; *) return 1 ;; esac
  done
}
for f in "$SRC"/tests/bad_configs/*.yaml; do
  count=$((count + 1))
  name=$(basename "$f")
  expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
  if [ -z "$expect" ]; then echo "FAIL $name: first line is not '# expect: ...'"; fail=1; continue; fi
  "$MCUSIM" validate "$f" >"$SCRATCH/out" 2>"$SCRATCH/err"
  rc=$?
  lines=$(wc -l <"$SCRATCH/err")
  if [ "$rc" -ne 2 ]; then echo "FAIL $name: exit $rc, want 2"; fail=1
  elif [ -s "$SCRATCH/out" ]; then echo "FAIL $name: wrote to stdout"; fail=1
  elif [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines stderr lines, want 1:"; cat "$SCRATCH/err"; fail=1
  elif ! contains_in_order "$(cat "$SCRATCH/err")" "$expect"; then
    echo "FAIL $name: want '$expect'"; echo "     got  '$(cat "$SCRATCH/err")'"; fail=1
  else
    # validate checks what run checks: run refuses the same file the same way
    "$MCUSIM" run "$f" --timing-only >"$SCRATCH/out" 2>"$SCRATCH/err"
    rc=$?
    if [ "$rc" -ne 2 ] || [ -s "$SCRATCH/out" ]; then
      echo "FAIL $name: run exits $rc (want 2, like validate)"; head -3 "$SCRATCH/err"; fail=1
    else echo "ok   $name"; fi
  fi
done
if [ "$count" -lt 40 ]; then echo "FAIL only $count bad configs, want >= 40"; fail=1; fi
exit $fail
