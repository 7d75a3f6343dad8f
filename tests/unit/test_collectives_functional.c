/* End to end through the workloads library: a small Llama-shaped model run
 * tensor-parallel with each topology must give the same output bytes as on
 * one chip (the schedules carry real partial sums). */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_model_dims.h"
#include "topology.h"
#include "workload.h"

static workload_params small_model(void)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    strcpy(w.model, "stories15m");
    CU_ASSERT_EQUAL_FATAL(tmd_published(w.model, &w.dims), 0);
    /* Shrunk so the test runs in milliseconds; 4 heads allow 1, 2, 4 chips. */
    w.dims.dim = 64;
    w.dims.n_layers = 2;
    w.dims.n_heads = w.dims.n_kv_heads = 4;
    w.dims.head_dim = 16;
    w.dims.ffn_hidden = 96;
    w.dims.vocab = 128;
    w.dims.max_seq = 32;
    w.mode = MODE_AUTOREGRESSIVE;
    w.seq_len = 8;
    w.seed = 7;
    return w;
}

/* Output bytes of a functional run on n chips with topology t (malloc'd). */
static unsigned char *run(const workload_params *w, uint32_t n, const char *kind,
                          const char *key, const char *value, size_t *len)
{
    char err[256] = "";
    system_topology t;
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, kind, err, sizeof err), 0);
    if (key) CU_ASSERT_EQUAL_FATAL(topology_set(&t, key, value, err, sizeof err), 0);
    system_program *p = partition_build(w, n, true, err, sizeof err);
    if (!p) fprintf(stderr, "\npartition_build: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
    size_t sends = 0;
    for (uint32_t c = 0; c < n; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) sends += p->chips[c].ops[i].kind == OP_SEND;
    CU_ASSERT(n == 1 || sends > 0);   /* the chips really talk */
    int rc = functional_run(p, err, sizeof err);
    if (rc) fprintf(stderr, "\nfunctional_run: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const prog_buffer *b = system_program_output_part(p, p->root);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    *len = prog_buffer_bytes(b);
    unsigned char *out = malloc(*len);
    memcpy(out, b->data, *len);
    system_program_destroy(p);
    return out;
}

static void test_topologies_match_one_chip(void)
{
    char err[256];
    workload_params w = small_model();
    if (workload_check(&w, err, sizeof err) != 0) fprintf(stderr, "\n%s\n", err);
    CU_ASSERT_EQUAL_FATAL(workload_check(&w, err, sizeof err), 0);
    size_t len1;
    unsigned char *ref = run(&w, 1, "reduction_tree", NULL, NULL, &len1);
    size_t distinct = 0;   /* a constant output would compare equal vacuously */
    for (size_t i = 1; i < len1; i++) distinct += ref[i] != ref[0];
    CU_ASSERT(distinct > 0);
    const struct {
        const char *kind, *key, *value;
    } ts[] = {{"reduction_tree", "fan_in", "2"}, {"reduction_tree", "fan_in", "3"},
              {"chain", "chunks", "3"}, {"star", NULL, NULL}};
    const uint32_t chips[] = {2, 4};
    for (size_t i = 0; i < 4; i++)
        for (size_t c = 0; c < 2; c++) {
            size_t len;
            unsigned char *out = run(&w, chips[c], ts[i].kind, ts[i].key, ts[i].value, &len);
            CU_ASSERT_EQUAL(len, len1);
            CU_ASSERT(len == len1 && memcmp(out, ref, len) == 0);
            free(out);
        }
    free(ref);
}

static int register_tests(void)
{
    ADD_SUITE("functional", TEST(test_topologies_match_one_chip));
    return 0;
}

CUNIT_MAIN(register_tests)
