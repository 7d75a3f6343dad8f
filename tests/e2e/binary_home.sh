#!/usr/bin/env bash
# A copied or installed binary reads the configs/ beside it, not those of
# the tree it was built in: $MCUSIM_HOME first, then the binary's folder,
# then its parent, then the build-time source tree. `--version` names the
# configs folder in use; `reproduce` sweeps that folder's paper set.
set -u
bin=$1 src=$(cd "$2" && pwd) scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0

# A private configs/ whose paper set is one small experiment of its own
# name, on a model only that folder has (workload.model: NAME is looked up in
# the configs folder in use).
make_home() { # DIR NAME
    mkdir -p "$1/configs/experiments/paper" "$1/configs/models"
    cp -r "$src/configs/nodes" "$src/configs/links" "$1/configs/"
    sed 's/^name: stories15m/name: own-15m/' "$src/configs/models/stories15m.yaml" \
        >"$1/configs/models/own-15m.yaml"
    printf 'name: %s\nsystem:\n  node: !include ../../nodes/siracusa.yaml\n  link: !include ../../links/mipi_dphy.yaml\nworkload: {model: own-15m, mode: autoregressive, seq_len: 8}\nsweep: {chips: [1, 2]}\n' \
        "$2" >"$1/configs/experiments/paper/$2.yaml"
}
make_home "$scratch/beside" beside_exp
cp "$bin" "$scratch/beside/mcusim"
make_home "$scratch/prefix" parent_exp
mkdir -p "$scratch/prefix/bin"; cp "$bin" "$scratch/prefix/bin/mcusim"
make_home "$scratch/home" home_exp

# expect NAME WANT_CONFIGS WANT_EXPERIMENT -- CMD...: --version names the
# folder, reproduce writes exactly that folder's experiment
expect() {
    local name=$1 want=$2 exp=$3; shift 4
    local v out=$scratch/out_$name
    v=$(env "$@" --version 2>&1)
    if ! grep -qxF "configs: $want" <<<"$v"; then
        echo "FAIL $name: --version says '$v', want 'configs: $want'"; fail=1; return
    fi
    if ! env "$@" reproduce --timing-only -j 1 --out "$out" >"$out.log" 2>&1; then
        echo "FAIL $name: reproduce failed"; tail -3 "$out.log"; fail=1; return
    fi
    local got
    got=$(cd "$out/paper" && ls -d -- */ 2>/dev/null | tr -d / | tr '\n' ' ')
    if [ "$got" != "$exp " ]; then echo "FAIL $name: reproduce ran '$got', want '$exp'"; fail=1
    else echo "ok   $name: $want"; fi
}
expect beside "$scratch/beside/configs" beside_exp -- -u MCUSIM_HOME "$scratch/beside/mcusim"
expect parent "$scratch/prefix/configs" parent_exp -- -u MCUSIM_HOME "$scratch/prefix/bin/mcusim"
expect home "$scratch/home/configs" home_exp -- MCUSIM_HOME="$scratch/home" "$scratch/beside/mcusim"
# the built binary itself sits in build/, below the source tree
v=$(env -u MCUSIM_HOME "$bin" --version)
if grep -qxF "configs: $src/configs" <<<"$v"; then echo "ok   build tree: $src/configs"
else echo "FAIL build tree: --version says '$v', want 'configs: $src/configs'"; fail=1; fi
exit $fail
