#!/usr/bin/env bash
# The command-line shell: help, version, usage errors (exit 2), --set
# overrides reaching the resolved config, and override errors located at --set.
set -u
MCUSIM=$1 SRC=$2 SCRATCH=$3
mkdir -p "$SCRATCH"
fail=0
check() { # description, expected exit code, command...
  local what=$1 want=$2; shift 2
  "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $what: exit $rc, want $want"; cat "$SCRATCH/err"; fail=1
  else echo "ok   $what"; fi
}
want_out() { grep -qF -- "$1" "$SCRATCH/out" || { echo "FAIL stdout lacks '$1'"; fail=1; }; }
want_err() { grep -qF -- "$1" "$SCRATCH/err" || { echo "FAIL stderr lacks '$1'"; cat "$SCRATCH/err"; fail=1; }; }
EXP=$SRC/configs/experiments/paper/tinyllama_ar.yaml

check "no verb prints help" 0 "$MCUSIM";            want_out "mcusim validate"
check "--help" 0 "$MCUSIM" --help;                  want_out "mcusim links"
check "--version" 0 "$MCUSIM" --version;            want_out "mcusim "
for verb in run sweep reproduce merge validate links; do
  check "$verb --help" 0 "$MCUSIM" "$verb" --help;  want_out "usage: mcusim $verb"
done
check "unknown verb" 2 "$MCUSIM" frobnicate;         want_err "unknown verb 'frobnicate'"
check "unknown option" 2 "$MCUSIM" --frobnicate;     want_err "unknown option"
check "validate unknown option" 2 "$MCUSIM" validate "$EXP" --bogus
check "validate without file" 2 "$MCUSIM" validate
check "links" 0 "$MCUSIM" links;                     want_out "mipi_dphy"; want_out "lane_rate"

check "--set reaches the result" 0 "$MCUSIM" validate "$EXP" --set workload.seq_len=64 \
      --set system.link.lanes=2 --set "sweep.chips=[1, 2]"
want_out "seq_len: 64"; want_out "lanes: 2"; want_out "chips: [1, 2]"
check "--set with a unit" 0 "$MCUSIM" validate "$EXP" --set "system.node.l2.size=4 MiB"
want_out "size: 4 MiB"
check "--set typo" 2 "$MCUSIM" validate "$EXP" --set workload.seq_lenn=64
want_err "--set:1:1: workload.seq_lenn: unknown key 'seq_lenn' (did you mean 'seq_len'?)"
check "--set bad value" 2 "$MCUSIM" validate "$EXP" --set workload.seq_len=lots
want_err "--set:1:18: workload.seq_len: expected a non-negative integer"
check "missing file" 2 "$MCUSIM" validate "$SCRATCH/does_not_exist.yaml"
want_err "does_not_exist.yaml: cannot open:"
exit $fail
