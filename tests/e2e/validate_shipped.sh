#!/usr/bin/env bash
# Every shipped experiment (configs/experiments/**/*.yaml) validates, and what
# validate prints is itself a valid experiment that resolves to the same text
# (so the printout shows every value the simulator will use, nothing less).
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
mkdir -p "$SCRATCH"
fail=0 count=0
while IFS= read -r f; do
  count=$((count + 1))
  name=${f#"$SRC"/configs/experiments/}
  if ! "$MCUSIM" validate "$f" >"$SCRATCH/first.yaml" 2>"$SCRATCH/err"; then
    echo "FAIL $name:"; cat "$SCRATCH/err"; fail=1; continue
  fi
  if [ -s "$SCRATCH/err" ]; then echo "FAIL $name: wrote to stderr"; cat "$SCRATCH/err"; fail=1; continue; fi
  if ! "$MCUSIM" validate "$SCRATCH/first.yaml" >"$SCRATCH/second.yaml" 2>"$SCRATCH/err"; then
    echo "FAIL $name: its resolved form does not validate:"; cat "$SCRATCH/err"; fail=1; continue
  fi
  if ! diff <(tail -n +2 "$SCRATCH/first.yaml") <(tail -n +2 "$SCRATCH/second.yaml") >"$SCRATCH/diff"; then
    echo "FAIL $name: resolving twice changes the result:"; cat "$SCRATCH/diff"; fail=1; continue
  fi
  echo "ok   $name"
done < <(find "$SRC/configs/experiments" -name '*.yaml' | sort)
if [ "$count" -eq 0 ]; then echo "FAIL no experiment files found"; fail=1; fi
exit $fail
