#!/usr/bin/env bash
# Every tests/bad_calib/*.yaml is refused by `mcusim calibrate` before any
# run: exit 2, nothing on stdout, exactly one stderr line that contains the
# text its first line announces ("# expect: FILE:LINE:COL: key.path:
# message"; " ... " separates parts that must appear in that order). Their
# outputs point into /dev/null, so a file that wrongly passed could write
# nothing.
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
mkdir -p "$SCRATCH"
fail=0 count=0
contains_in_order() { # TEXT PATTERN
  local text=$1 rest=$2 part
  while [ -n "$rest" ]; do
    part=${rest%% ... *}
    [ "$part" = "$rest" ] && rest="" || rest=${rest#* ... }
    case "$text" in *"$part"*) text=${text#*"$part"} ;; *) return 1 ;; esac
  done
}
for f in "$SRC"/tests/bad_calib/*.yaml; do
  count=$((count + 1))
  name=$(basename "$f")
  expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
  if [ -z "$expect" ]; then echo "FAIL $name: first line is not '# expect: ...'"; fail=1; continue; fi
  "$MCUSIM" calibrate "$f" >"$SCRATCH/out" 2>"$SCRATCH/err"
  rc=$?
  lines=$(wc -l <"$SCRATCH/err")
  if [ "$rc" -ne 2 ]; then echo "FAIL $name: exit $rc, want 2"; cat "$SCRATCH/err"; fail=1
  elif [ -s "$SCRATCH/out" ]; then echo "FAIL $name: wrote to stdout"; fail=1
  elif [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines stderr lines, want 1:"; cat "$SCRATCH/err"; fail=1
  elif ! contains_in_order "$(cat "$SCRATCH/err")" "$expect"; then
    echo "FAIL $name: want '$expect'"; echo "     got  '$(cat "$SCRATCH/err")'"; fail=1
  else echo "ok   $name"; fi
done
if [ "$count" -lt 30 ]; then echo "FAIL only $count bad calibration files, want >= 30"; fail=1; fi
# Bad command lines are refused the same way.
"$MCUSIM" calibrate >"$SCRATCH/out" 2>"$SCRATCH/err"
[ $? -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && echo "ok   no file" || { echo "FAIL no file"; fail=1; }
"$MCUSIM" calibrate "$SRC/tests/bad_calib/no_targets.yaml" -j 0 >"$SCRATCH/out" 2>"$SCRATCH/err"
[ $? -eq 2 ] && grep -q -- "-j '0'" "$SCRATCH/err" && echo "ok   -j 0" || { echo "FAIL -j 0"; fail=1; }
"$MCUSIM" calibrate "$SRC/tests/bad_calib/no_targets.yaml" --bogus >"$SCRATCH/out" 2>"$SCRATCH/err"
[ $? -eq 2 ] && grep -q "unknown option '--bogus'" "$SCRATCH/err" && echo "ok   unknown option" || { echo "FAIL unknown option"; fail=1; }
"$MCUSIM" calibrate /nonexistent/calib.yaml >"$SCRATCH/out" 2>"$SCRATCH/err"
[ $? -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -q "/nonexistent/calib.yaml" "$SCRATCH/err" && echo "ok   missing file" || { echo "FAIL missing file"; fail=1; }
exit $fail
