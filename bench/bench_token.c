/* Functional cost of one TinyLlama-42M token on the host: building the
 * 1-chip program (pseudo-random int8 weights from the seed, the reduction
 * tree expanded) and executing
 * every op with the real integer kernels, without SystemC. The execute time
 * is what functional mode adds to a simulated token; the build time is paid
 * once per run. Also an 8-chip run, whose kernels do the same arithmetic in
 * slices plus the int32 reductions. Figures depend on the host. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model_file.h"
#include "topology.h"
#include "workload.h"

#define REPS 5

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Best of REPS (build, execute) times; -1 on error. */
static int time_token(int mode, uint64_t seq_len, uint32_t chips, double *build_s, double *exec_s)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    snprintf(w.model, sizeof w.model, "tinyllama-42m");
    w.mode = mode;
    w.seq_len = seq_len;
    w.seed = 1;
    char err[512] = "";
    cfg_error ce;
    if (model_file_load(MCUSIM_SOURCE_DIR "/configs/models/tinyllama-42m.yaml", &w.dims, &ce)) {
        cfg_error_print(&ce, stderr);
        return -1;
    }
    if (workload_check(&w, err, sizeof err) != 0) {
        fprintf(stderr, "bench_token: %s\n", err);
        return -1;
    }
    *build_s = *exec_s = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        system_program *p = partition_build(&w, chips, true, err, sizeof err);
        system_topology tree;
        if (p && (topology_init(&tree, "reduction_tree", err, sizeof err) != 0 ||
                  topology_set(&tree, "fan_in", "4", err, sizeof err) != 0 ||
                  topology_expand(&tree, p, err, sizeof err) != 0)) {
            fprintf(stderr, "bench_token: %s\n", err);
            system_program_destroy(p);
            return -1;
        }
        double t1 = now_s();
        if (!p || functional_run(p, err, sizeof err) != 0) {
            fprintf(stderr, "bench_token: %s\n", err);
            system_program_destroy(p);
            return -1;
        }
        double t2 = now_s();
        system_program_destroy(p);
        if (t1 - t0 < *build_s) *build_s = t1 - t0;
        if (t2 - t1 < *exec_s) *exec_s = t2 - t1;
    }
    return 0;
}

int main(void)
{
    static const struct {
        const char *what;
        int mode;
        uint64_t seq_len;
        uint32_t chips;
    } cases[] = {
        {"TinyLlama-42M token, KV cache 128, 1 chip", MODE_AUTOREGRESSIVE, 128, 1},
        {"TinyLlama-42M token, KV cache 128, 8 chips", MODE_AUTOREGRESSIVE, 128, 8},
        {"TinyLlama-42M prompt of 128 tokens, 1 chip", MODE_PROMPT, 128, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double b, x;
        if (time_token(cases[i].mode, cases[i].seq_len, cases[i].chips, &b, &x) != 0) return 1;
        printf("%-44s execute %8.2f ms   build %8.2f ms   (best of %d)\n", cases[i].what, x * 1e3,
               b * 1e3, REPS);
    }
    return 0;
}
