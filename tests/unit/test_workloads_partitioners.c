/* The partitioner registry and the `replicate` partitioner.
 * - Every entry is well formed: a name found by registry_find, a doc, a
 *   build and an estimate, a parameter table that passes param_specs_check
 *   and fits workload_params.partition; the first entry is the default.
 * - replicate is the oracle: at any chip count its output is the model
 *   graph's (and so every other partitioner's) bit for bit, every chip
 *   computes the same bytes, and every chip's program is the 1-chip
 *   program: no communication, all weights on every chip.
 * - A partitioner that cannot split names itself and its limit. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "model_graph.h"
#include "partitioner.h"
#include "test_workloads_fixture.h"

static void test_registry_entries(void)
{
    const registry_kind *k = partitioner_registry();
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT(k->name && k->name[0] && k->doc && k->doc[0]);
    const registry_entry *const *all = k->entries();
    CU_ASSERT_PTR_EQUAL(all, partitioner_entries());
    CU_ASSERT_PTR_NOT_NULL_FATAL(all[0]);
    CU_ASSERT_PTR_EQUAL(partitioner_find("", NULL), all[0]);   /* the default */
    size_t n = 0;
    for (; all[n]; n++) {
        const registry_entry *e = all[n];
        CU_ASSERT(e->name && e->name[0] && e->doc && e->doc[0]);
        int dep = 1;
        CU_ASSERT_PTR_EQUAL(registry_find(all, e->name, &dep), e);
        CU_ASSERT_EQUAL(dep, 0);
        CU_ASSERT_PTR_EQUAL(partitioner_find(e->name, NULL), e);
        const partitioner_ops *ops = e->ops;
        CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
        CU_ASSERT_PTR_NOT_NULL(ops->build);
        CU_ASSERT_PTR_NOT_NULL(ops->estimate);
        CU_ASSERT(e->params_size <= PARTITION_PARAMS_MAX);
        CU_ASSERT(e->n_params == 0 || e->params != NULL);
        char why[512] = "";
        int rc = param_specs_check(e->params, e->n_params, e->params_size, NULL, why, sizeof why);
        if (rc) fprintf(stderr, "\npartitioner %s: %s\n", e->name, why);
        CU_ASSERT_EQUAL(rc, 0);
        for (size_t j = 0; j < n; j++) CU_ASSERT_STRING_NOT_EQUAL(all[j]->name, e->name);
    }
    CU_ASSERT(n >= 2);
    CU_ASSERT_PTR_NOT_NULL(partitioner_find("tensor", NULL));
    CU_ASSERT_PTR_NOT_NULL(partitioner_find("replicate", NULL));
    CU_ASSERT_PTR_NULL(partitioner_find("tensr", NULL));
    CU_ASSERT_PTR_NULL(partitioner_find(NULL, NULL));
}

static void test_unknown_partitioner(void)
{
    workload_params w = fx_with_partitioner(fx_workload("stories15m", MODE_PROMPT, 4, 1, NULL),
                                            "pipelin");
    char err[256] = "";
    CU_ASSERT_PTR_NULL(partition_build(&w, 2, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown partitioner 'pipelin'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "replicate"));
}

static workload_params replicated(const char *model, int mode, uint64_t seq, uint64_t layers,
                                  bool head)
{
    workload_params w = fx_workload(model, mode, seq, 11, &(model_dims){.n_layers = layers});
    w.head = head;
    return fx_with_partitioner(w, "replicate");
}

static void test_replicate_bit_exact(void)
{
    const uint32_t chips[] = {2, 3, 5};
    workload_params ws[] = {
        replicated("stories15m", MODE_AUTOREGRESSIVE, 7, 2, false),
        replicated("stories15m", MODE_PROMPT, 5, 2, false),
        replicated("tinyllama-42m", MODE_PROMPT, 3, 1, true),
        replicated("mobilebert", MODE_PROMPT, 6, 2, false),
    };
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        fx_check_equal_over(&ws[i], chips, sizeof chips / sizeof chips[0]);
}

/* The tensor split, checked against replicate's output directly (both
 * through partition_build): what `--check` against replicate compares. */
static void test_tensor_equals_replicate(void)
{
    workload_params t = fx_workload("stories15m", MODE_AUTOREGRESSIVE, 9, 5,
                                    &(model_dims){.n_layers = 2});
    workload_params r = fx_with_partitioner(t, "replicate");
    for (uint32_t n = 2; n <= 8; n *= 2) {
        size_t bt, br;
        int8_t *a = fx_run_out(&t, n, NULL, NULL, &bt);
        int8_t *b = fx_run_out(&r, n, NULL, NULL, &br);
        CU_ASSERT(bt == br && memcmp(a, b, bt) == 0);
        free(a);
        free(b);
    }
}

/* Bytes of chip c's buffer called `name`, or NULL. */
static const prog_buffer *buffer_named(const chip_program *c, const char *name)
{
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (!strcmp(c->bufs[b].name, name)) return &c->bufs[b];
    return NULL;
}

/* Every chip ends with the same output bytes, not only the root. */
static void test_replicate_every_chip_same(void)
{
    workload_params w = replicated("stories15m", MODE_PROMPT, 4, 1, true);
    system_program *p = fx_build(&w, 4, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(functional_run(p, err, sizeof err), 0);
    const prog_buffer *root = system_program_output_part(p, p->root);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    for (uint32_t c = 0; c < p->n_chips; c++) {
        if (c != p->root) CU_ASSERT_PTR_NULL(system_program_output_part(p, c));
        const prog_buffer *b = buffer_named(&p->chips[c], root->name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        CU_ASSERT(memcmp(b->data, root->data, prog_buffer_bytes(root)) == 0);
    }
    system_program_destroy(p);
}

static bool same_ops(const chip_program *a, const chip_program *b)
{
    if (a->n_ops != b->n_ops || a->n_bufs != b->n_bufs) return false;
    for (uint32_t i = 0; i < a->n_ops; i++) {
        const prog_op *x = &a->ops[i], *y = &b->ops[i];
        if (x->kind != y->kind || strcmp(x->label, y->label) || x->m != y->m || x->n != y->n ||
            x->k != y->k || memcmp(&x->work, &y->work, sizeof x->work) ||
            memcmp(x->in, y->in, sizeof x->in) || x->out != y->out)
            return false;
    }
    for (uint32_t i = 0; i < a->n_bufs; i++)
        if (prog_buffer_bytes(&a->bufs[i]) != prog_buffer_bytes(&b->bufs[i]) ||
            a->bufs[i].role != b->bufs[i].role)
            return false;
    return true;
}

/* What makes replicate's timing the 1-chip timing on every chip: each chip
 * runs exactly the 1-chip program, and nothing travels between chips. */
static void test_replicate_is_the_one_chip_program(void)
{
    workload_params ws[] = {replicated("tinyllama-42m", MODE_AUTOREGRESSIVE, 16, 0, false),
                            replicated("mobilebert", MODE_PROMPT, 8, 0, false)};
    for (size_t i = 0; i < 2; i++) {
        system_program *one = fx_build(&ws[i], 1, false);
        system_program *p = fx_build(&ws[i], 6, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(one);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        for (uint32_t c = 0; c < p->n_chips; c++) {
            CU_ASSERT(same_ops(&p->chips[c], &one->chips[0]));
            for (int k = 0; k < OP__COUNT; k++)
                if (op_is_comm((op_kind)k)) CU_ASSERT_EQUAL(fx_count_kind(&p->chips[c], k), 0);
        }
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), 6 * fx_role_bytes(one, BUF_WEIGHT));
        system_program_destroy(one);
        system_program_destroy(p);
    }
    /* and its weights are the whole model's, counted independently */
    workload_params w = replicated("tinyllama-42m", MODE_AUTOREGRESSIVE, 16, 0, false);
    system_program *one = fx_build(&w, 1, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_EQUAL(fx_role_bytes(one, BUF_WEIGHT), fx_llama_weight_bytes(&w.dims));
    system_program_destroy(one);
}

/* Replicate splits nothing, so no chip count is too many; tensor's refusal
 * names the partitioner and its limit. */
static void test_limits_name_the_partitioner(void)
{
    workload_params t = fx_workload("mobilebert", MODE_PROMPT, 4, 1, &(model_dims){.n_layers = 1});
    char err[512] = "";
    CU_ASSERT_PTR_NULL(partition_build(&t, 8, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "partitioner tensor: at most 4 chips"));
    workload_params r = fx_with_partitioner(t, "replicate");
    system_program *p = partition_build(&r, 8, false, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(p);
    system_program_destroy(p);
    workload_params f = fx_workload("stories15m", MODE_PROMPT, 4, 1,
                                    &(model_dims){.n_layers = 1, .ffn_hidden = 10});
    CU_ASSERT_PTR_NULL(partition_build(&f, 11, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "partitioner tensor: at most 10 chips"));
}

/* The hooks the next partitioners need are in the graph: K/V heads per
 * attention, the residual stream, a block template keyed per block. */
static void test_graph_hooks(void)
{
    workload_params w = fx_workload("mobilebert", MODE_PROMPT, 8, 1, NULL);
    char err[256];
    model_graph *g = model_graph_create(&w, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(g->blocks, w.dims.n_layers);
    CU_ASSERT(g->stream >= 0 && g->output >= 0);
    CU_ASSERT_EQUAL(g->values[g->stream].role, BUF_RESIDUAL);
    uint32_t attn = 0, ffn_norms = 0;
    for (uint32_t i = 0; i < g->n_ops[GRAPH_BLOCK]; i++) {
        const graph_op *op = &g->ops[GRAPH_BLOCK][i];
        if (op->kind == GOP_ATTENTION) {
            attn++;
            CU_ASSERT_EQUAL(op->attn.heads, w.dims.n_heads);
            CU_ASSERT_EQUAL(op->attn.kv_heads, w.dims.n_kv_heads);
        }
        /* stacked FFN i of block l draws its tensors under l*n_ffn + i */
        if (op->kind == GOP_NORM && op->w.id == T_G_FFN) {
            CU_ASSERT_EQUAL(graph_key(&op->w, 3), 3 * w.dims.n_ffn + ffn_norms);
            ffn_norms++;
        }
    }
    CU_ASSERT_EQUAL(attn, 1);
    CU_ASSERT_EQUAL(ffn_norms, w.dims.n_ffn);
    model_graph_destroy(g);
}

static int register_tests(void)
{
    ADD_SUITE("partitioners", TEST(test_registry_entries), TEST(test_unknown_partitioner),
              TEST(test_replicate_bit_exact), TEST(test_tensor_equals_replicate),
              TEST(test_replicate_every_chip_same), TEST(test_replicate_is_the_one_chip_program),
              TEST(test_limits_name_the_partitioner), TEST(test_graph_hooks));
    return 0;
}

CUNIT_MAIN(register_tests)
