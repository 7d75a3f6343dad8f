#!/usr/bin/env bash
# Sweep/reproduce throughput: wall time, simulated events per second and
# peak RSS for (1) the timing-only sweep of every paper experiment, (2) the
# full functional reproduce (with the bit-exact check), (3) one 64-chip run.
# Targets (issue 6): (1) < 2 s, (2) < 60 s on 2 cores.
# Usage: bench/bench_sweep.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/mcusim
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mcusim_bench_sweep.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

# Peak RSS of a command and its children: GNU time if present, else a tiny
# getrusage(RUSAGE_CHILDREN) wrapper compiled here.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then
    measure() { /usr/bin/time -f "%e %M" -o "$scratch/time" "$@" >"$scratch/log" 2>&1 || true; }
else
    cat >"$scratch/rus.c" <<'C'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    struct timeval a, b;
    gettimeofday(&a, NULL);
    pid_t p = fork();
    if (p == 0) { execvp(argv[2], argv + 2); _exit(127); }
    int st;
    waitpid(p, &st, 0);
    gettimeofday(&b, NULL);
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    FILE *f = fopen(argv[1], "w");
    fprintf(f, "%.2f %ld\n", (b.tv_sec - a.tv_sec) + (b.tv_usec - a.tv_usec) / 1e6, ru.ru_maxrss);
    fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
C
    cc -O1 -o "$scratch/rus" "$scratch/rus.c"
    measure() { "$scratch/rus" "$scratch/time" "$@" >"$scratch/log" 2>&1 || true; }
fi

# Sum of the sim_events column over every summary.csv under a folder.
events_in() {
    find "$1" -name summary.csv -exec awk -F, '
        NR == 1 || FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "sim_events") c = i; next }
        c { s += $c } END { printf "%d", s }' {} + | awk '{ s += $1 } END { printf "%d", s }'
}

report() { # report LABEL DIR
    read -r wall rss < <(tail -n 1 "$scratch/time")   # GNU time may add an exit-status line first
    local ev
    ev=$(events_in "$2")
    awk -v l="$1" -v w="$wall" -v r="$rss" -v e="$ev" 'BEGIN {
        printf "%-44s wall %7.2f s  events %9d  %10.0f events/s  peak RSS %6.1f MiB\n",
               l, w, e, (w > 0 ? e / w : 0), r / 1024 }'
}

export MCUSIM_HOME=$src
measure "$bin" reproduce --timing-only -j "$jobs" --out "$scratch/timing"
report "timing-only sweep, all paper experiments" "$scratch/timing"
measure "$bin" reproduce -j "$jobs" --out "$scratch/full"
report "functional reproduce (with --check)" "$scratch/full"
measure "$bin" sweep "$src/configs/experiments/paper/tinyllama_heads64.yaml" --chips 64 \
    -j 1 --out "$scratch/c64"
report "one 64-chip run (tinyllama_heads64, functional)" "$scratch/c64"
grep -h "points failed" "$scratch/log" 2>/dev/null | head -3 || true
