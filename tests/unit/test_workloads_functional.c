/* functional_run with expanded collectives (point-to-point SEND/RECV) gives
 * the same output as with OP_REDUCE/OP_BCAST; deadlocks are reported; the
 * workload checks reject inconsistent dims. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "workload.h"

static workload_params wl(const char *model, int mode, uint64_t seq)
{
    return fx_workload(model, mode, seq, 3, NULL);
}

/* A flat expansion written here independently of interconnect/: reduce =
 * every chip sends to the root, which accumulates; bcast = root sends to all. */
static system_program *expand_flat(system_program *p)
{
    for (uint32_t c = 0; c < p->n_chips; c++) {
        chip_program *cp = &p->chips[c];
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            prog_op op = cp->ops[i];
            if (op.kind != OP_REDUCE && op.kind != OP_BCAST) continue;
            bool red = op.kind == OP_REDUCE;
            bool first = true;
            for (uint32_t peer = 0; peer < p->n_chips; peer++) {
                if (peer == p->root) continue;
                if (c != p->root && peer != c) continue;
                prog_op s = prog_op_init(OP_SEND, op.label);
                bool i_send = red ? c != p->root : c == p->root;
                s.kind = i_send ? OP_SEND : OP_RECV;
                s.in[0] = op.in[0];
                s.peer = (int32_t)(c == p->root ? peer : p->root);
                s.tag = op.collective;
                s.accumulate = red && !i_send;
                s.collective = op.collective;
                if (first) {
                    cp->ops[i] = s;
                    first = false;
                } else {
                    CU_ASSERT_FATAL(chip_insert_op(cp, ++i, &s) == 0);
                }
            }
            if (first) cp->ops[i] = prog_op_init(OP_BARRIER, op.label); /* 1 chip */
        }
    }
    return p;
}

static void test_send_recv_equals_collectives(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 4);
    char err[512] = "";
    system_program *a = partition_build(&w, 3, true, err, sizeof err);
    system_program *b = partition_build(&w, 3, true, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    expand_flat(b);
    uint32_t comm = 0;
    for (uint32_t o = 0; o < b->chips[1].n_ops; o++)
        comm += b->chips[1].ops[o].kind == OP_SEND || b->chips[1].ops[o].kind == OP_RECV;
    CU_ASSERT(comm > 0);
    CU_ASSERT_EQUAL_FATAL(functional_run(a, err, sizeof err), 0);
    int rc = functional_run(b, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const prog_buffer *oa = system_program_output_part(a, a->root);
    const prog_buffer *ob = system_program_output_part(b, b->root);
    CU_ASSERT_PTR_NOT_NULL_FATAL(oa);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ob);
    CU_ASSERT(memcmp(oa->data, ob->data, prog_buffer_bytes(oa)) == 0);
    system_program_destroy(a);
    system_program_destroy(b);
}

static void test_deadlock_detected(void)
{
    system_program *p = system_program_create(2, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    for (uint32_t c = 0; c < 2; c++) {
        int32_t id = chip_add_buffer(&p->chips[c], true, "x", DT_I32, 1, 4, BUF_PARTIAL);
        prog_op r = prog_op_init(OP_RECV, "wait");
        r.in[0] = id;
        r.peer = (int32_t)(1 - c);
        r.tag = 9;
        CU_ASSERT(chip_add_op(&p->chips[c], &r) == 0);
    }
    char err[256] = "";
    CU_ASSERT_NOT_EQUAL(functional_run(p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "deadlock"));
    system_program_destroy(p);
}

static void test_checks(void)
{
    char err[256];
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 1023);
    CU_ASSERT_EQUAL(workload_check(&w, err, sizeof err), 0);
    w.seq_len = 1024; /* the new token would sit at position 1024 */
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_seq"));
    w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8);
    w.dims.n_kv_heads = 4;   /* grouped-query attention, groups of 2 */
    CU_ASSERT_EQUAL(workload_check(&w, err, sizeof err), 0);
    w.dims.n_kv_heads = 3;   /* 8 query heads do not split into 3 equal groups */
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "dims.n_kv_heads: 3 must divide n_heads 8"));
    w.dims.n_kv_heads = 16;
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    w = wl("mobilebert", MODE_PROMPT, 8);
    w.dims.n_kv_heads = 2;   /* mobilebert's heads each have their K and V */
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "n_kv_heads"));
    w = wl("mobilebert", MODE_AUTOREGRESSIVE, 8);
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    /* the model's own rules, named by key */
    model_dims d = wl("mobilebert", MODE_PROMPT, 8).dims;
    CU_ASSERT_EQUAL(model_dims_check(&d, err, sizeof err), 0);
    d.head_dim = 16;
    CU_ASSERT_NOT_EQUAL(model_dims_check(&d, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "bottleneck"));
    d = wl("stories15m", MODE_PROMPT, 8).dims;
    d.head_dim = 47;
    CU_ASSERT_NOT_EQUAL(model_dims_check(&d, err, sizeof err), 0);
    CU_ASSERT_EQUAL(strncmp(err, "head_dim:", 9), 0);
}

static int register_tests(void)
{
    ADD_SUITE("functional", TEST(test_send_recv_equals_collectives), TEST(test_deadlock_detected),
              TEST(test_checks));
    return 0;
}

CUNIT_MAIN(register_tests)
