#!/usr/bin/env bash
# mcusim explore end to end: the Pareto front of pareto.csv and of the
# points.csv flags equals a brute-force front computed here from points.csv;
# constraints filter what may be on it; duplicates run once; --resume and
# --shard + merge give the same files as one run; a seeded sample is the
# same for the same seed, without repeats; a point that cannot be split is
# infeasible with its reason (not a failure); bad explore sections fail at
# their FILE:LINE:COL before anything is written.
set -u
bin=$1 src=$2 scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
say() { echo "FAIL: $*"; fail=1; }

cat >"$scratch/space.yaml" <<EOF
base: $src/configs/experiments/paper/tinyllama_ar.yaml
name: e2e_explore
explore:
  space:
    chips: [1, 2, 4, 8]
    system.topology.kind: [reduction_tree, star]
    system.topology.fan_in: [2, 4]
    system.link.lanes: {from: 2, to: 4, step: 2}
  objectives: [latency_ms, energy_mj, {max: speedup}]
EOF
run() { "$bin" explore "$scratch/space.yaml" --set workload.seq_len=16 -j 2 "$@"; }

run --out "$scratch/one" >"$scratch/one.log" 2>&1 || { cat "$scratch/one.log"; say "explore"; exit 1; }
for f in points.csv pareto.csv best.csv summary.md explore.json provenance.json \
         pareto_latency_ms_energy_mj.svg pareto_latency_ms_speedup.svg pareto_energy_mj_speedup.svg; do
    [ -s "$scratch/one/$f" ] || say "no $f"
done
# 4 chips x 2 kinds x 2 fan_in x 2 links; star takes no fan_in: half its points are duplicates
[ "$(($(wc -l <"$scratch/one/points.csv") - 1))" -eq 32 ] || say "points.csv does not hold 32 points"
[ "$(grep -c ',duplicate,' "$scratch/one/points.csv")" -eq 8 ] || say "the 8 star points with fan_in 4 are not duplicates"

# The front from points.csv by its definition (every pair compared), with a
# constraint taking part: a bound halfway between two latencies of the
# simulated points near their median (so no point sits on it).
front_check() { # DIR: pareto flags and pareto.csv equal the brute-force front
    awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["status"] == "simulated" && $c["meets_constraints"] == 1 {
        n++; id[n] = $1; a[n] = $c["latency_ms"]; b[n] = $c["energy_mj"]; s[n] = -$c["speedup"]
    }
    $c["status"] == "simulated" { flag[$1] = $c["pareto"] }
    END {
        for (i = 1; i <= n; i++) {
            dom = 0
            for (j = 1; j <= n && !dom; j++)
                if (j != i && a[j] <= a[i] && b[j] <= b[i] && s[j] <= s[i] &&
                    (a[j] < a[i] || b[j] < b[i] || s[j] < s[i])) dom = 1
            if (!dom) print id[i]
            if (dom == flag[id[i]]) { print "flag of " id[i] " is wrong" > "/dev/stderr"; bad = 1 }
        }
        for (k in flag) if (flag[k] == 1) nflag++
        exit bad
    }' "$1/points.csv" | sort >"$1/front.brute" || say "$1: pareto flags differ from the brute-force front"
    tail -n +2 "$1/pareto.csv" | cut -d, -f1 | sort >"$1/front.file"
    cmp -s "$1/front.brute" "$1/front.file" || say "$1: pareto.csv is not the brute-force front"
    [ -s "$1/front.file" ] || say "$1: empty front"
}
front_check "$scratch/one"
median=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                  $c["status"] == "simulated" { print $c["latency_ms"] }' "$scratch/one/points.csv" |
         sort -gu | awk '{ v[NR] = $1 } END { k = int(NR / 2); printf "%.12g\n", (v[k] + v[k + 1]) / 2 }')
run --out "$scratch/con" --set "explore.constraints=[\"latency_ms <= $median\"]" >/dev/null 2>&1 ||
    say "explore with a constraint"
awk -F, -v m="$median" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["status"] == "simulated" && (($c["latency_ms"] <= m) != ($c["meets_constraints"] == 1)) { bad = 1 }
    $c["pareto"] == 1 && $c["meets_constraints"] != 1 { bad = 1 }
    END { exit bad }' "$scratch/con/points.csv" || say "constraint flags or the front disobey latency_ms <= $median"
grep -q "latency_ms <= $median" "$scratch/con/summary.md" || say "summary.md does not state the constraint"
front_check "$scratch/con"

# --resume reuses every point and writes the same files.
run --out "$scratch/one" --resume >"$scratch/resume.log" 2>&1 || say "resume"
grep -q "0 run now (0 failed), 24 resumed" "$scratch/resume.log" || say "resume re-ran points: $(cat "$scratch/resume.log")"
cp -r "$scratch/one" "$scratch/again"
for f in points.csv pareto.csv best.csv summary.md; do
    cmp -s "$scratch/one/$f" "$scratch/again/$f" || say "resumed $f differs"
done

# Two shards joined by merge give the files of the single run.
run --shard 1/2 --out "$scratch/s1" >/dev/null 2>&1 || say "shard 1"
run --shard 2/2 --out "$scratch/s2" >/dev/null 2>&1 || say "shard 2"
grep -q "Partial" "$scratch/s1/summary.md" || say "a shard's summary does not say partial"
"$bin" merge --out "$scratch/merged" "$scratch/s1" "$scratch/s2" >"$scratch/merge.log" 2>&1 ||
    { cat "$scratch/merge.log"; say "merge"; }
for f in points.csv pareto.csv best.csv summary.md pareto_latency_ms_energy_mj.svg; do
    cmp -s "$scratch/one/$f" "$scratch/merged/$f" || say "merged $f differs from the single run's"
done
"$bin" merge --out "$scratch/half" "$scratch/s1" >/dev/null 2>"$scratch/half.err"
[ $? -eq 2 ] && grep -q "incomplete" "$scratch/half.err" || say "merge of one shard was not refused"
[ ! -e "$scratch/half/summary.md" ] || say "a refused merge wrote a summary"

# A seeded sample: 10 points of the 32, no repeats, the same for the same seed.
run --set explore.max_points=10 --set explore.seed=5 --out "$scratch/a" >/dev/null 2>&1 || say "sample a"
run --set explore.max_points=10 --set explore.seed=5 --out "$scratch/b" >/dev/null 2>&1 || say "sample b"
run --set explore.max_points=10 --set explore.seed=6 --out "$scratch/c" >/dev/null 2>&1 || say "sample c"
ids() { tail -n +2 "$1/points.csv" | cut -d, -f1; }
[ "$(ids "$scratch/a" | sort -u | wc -l)" -eq "$(ids "$scratch/a" | wc -l)" ] || say "a sampled point repeats"
ids "$scratch/a" >"$scratch/a.ids"; ids "$scratch/b" >"$scratch/b.ids"; ids "$scratch/c" >"$scratch/c.ids"
cmp -s "$scratch/a.ids" "$scratch/b.ids" || say "the same seed chose other points"
cmp -s "$scratch/a.ids" "$scratch/c.ids" && say "another seed chose the same points"
# 10 drawn, plus the 1-chip point of each (speedup is an objective) and the experiment's own
grep -q "10 of them were drawn" "$scratch/a/summary.md" || say "summary.md does not say 10 were drawn"
awk -F, 'NR > 1 { split($1, p, "-"); g[p[1]] = 1; if ($2 == 1) one[p[1]] = 1 }
         END { for (k in g) if (!(k in one)) bad = 1; exit bad }' "$scratch/a/points.csv" ||
    say "a sampled configuration lacks its 1-chip point"
front_check "$scratch/a"

# MobileBERT has 4 heads: its 8-chip points are infeasible, with the reason.
cat >"$scratch/mb.yaml" <<EOF
base: $src/configs/experiments/paper/mobilebert.yaml
explore:
  space:
    chips: [2, 8]
  objectives: [latency_ms]
EOF
"$bin" explore "$scratch/mb.yaml" --set workload.seq_len=8 --set workload.blocks=1 -j 2 \
    --out "$scratch/mb" >"$scratch/mb.log" 2>&1 || { cat "$scratch/mb.log"; say "infeasible points failed the exploration"; }
grep -q '^c0008,8,infeasible,.*cannot split over 8 chips' "$scratch/mb/points.csv" || say "8 chips not infeasible with its reason"
[ -s "$scratch/mb/points/c0008.infeasible.json" ] || say "no infeasible record"
grep -q '^c0002,2,simulated,' "$scratch/mb/points.csv" || say "2 chips not simulated"
grep -q "pareto_chips_latency_ms.svg" "$scratch/mb/summary.md" || say "one objective: no plot against chips"

# Bad sections: one located line, exit 2, nothing written.
bad() { # NAME WANT BODY: explore fails at WANT
    printf 'base: %s\n%s' "$src/configs/experiments/paper/tinyllama_ar.yaml" "$3" >"$scratch/$1.yaml"
    "$bin" explore "$scratch/$1.yaml" --out "$scratch/$1.out" >"$scratch/$1.stdout" 2>"$scratch/$1.err"
    local rc=$?
    if [ $rc -ne 2 ] || [ "$(wc -l <"$scratch/$1.err")" -ne 1 ] || ! grep -qF "$2" "$scratch/$1.err"; then
        say "$1: exit $rc, want 2 and one line with '$2'; got: $(cat "$scratch/$1.err")"
    fi
    [ ! -e "$scratch/$1.out" ] || say "$1: wrote $1.out"
}
bad unknown_key "$scratch/unknown_key.yaml:4:5: explore.space.system.topology.fan_inn: unknown key 'fan_inn' (did you mean 'fan_in'?)" \
    $'explore:\n  space:\n    system.topology.fan_inn: [2, 4]\n  objectives: [latency_ms]\n'
bad bad_value "$scratch/bad_value.yaml:4:33: explore.space.system.topology.fan_in: '1'" \
    $'explore:\n  space:\n    system.topology.fan_in: [4, 1]\n  objectives: [latency_ms]\n'
bad bad_unit "$scratch/bad_unit.yaml:4:27: explore.space.system.node.l2.size: '2 MHz'" \
    $'explore:\n  space:\n    system.node.l2.size: [2 MHz]\n  objectives: [latency_ms]\n'
bad same_config "$scratch/same_config.yaml:4:34: explore.space.system.node.l2.size: '2048 KiB' resolves to the same configuration as '2 MiB'" \
    $'explore:\n  space:\n    system.node.l2.size: [2 MiB, 2048 KiB]\n  objectives: [latency_ms]\n'
bad bad_metric "$scratch/bad_metric.yaml:5:16: explore.objectives[0]: unknown metric 'latncy_ms' (did you mean 'latency_ms'?)" \
    $'explore:\n  space:\n    chips: [1]\n  objectives: [latncy_ms]\n'
bad no_section "explore: no explore: section" $'name: x\n'
printf 'base: %s\nexplore:\n  space:\n    workload.seq_len: [8]\n  objectives: [latency_ms]\n' \
    "$src/configs/experiments/paper/tinyllama_ar.yaml" >"$scratch/setclash.yaml"
"$bin" explore "$scratch/setclash.yaml" --set workload.seq_len=16 --out "$scratch/setclash.out" 2>"$scratch/setclash.err"
[ $? -eq 2 ] && grep -q "setclash.yaml:4:5: explore.space.workload.seq_len: the key is also given by --set" \
    "$scratch/setclash.err" || say "an axis also given by --set: $(cat "$scratch/setclash.err")"
exit $fail
