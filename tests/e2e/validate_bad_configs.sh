#!/usr/bin/env bash
# Every tests/bad_configs/*.yaml is rejected by `mcusim validate` with exit 2,
# nothing on stdout and exactly one stderr line that contains the text its
# first line announces ("# expect: FILE:LINE:COL: key.path: message").
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
mkdir -p "$SCRATCH"
fail=0 count=0
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
  elif ! grep -qF -- "$expect" "$SCRATCH/err"; then
    echo "FAIL $name: want '$expect'"; echo "     got  '$(cat "$SCRATCH/err")'"; fail=1
  else echo "ok   $name"; fi
done
if [ "$count" -lt 12 ]; then echo "FAIL only $count bad configs, want >= 12"; fail=1; fi
exit $fail
