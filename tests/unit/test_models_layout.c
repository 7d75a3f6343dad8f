/* Node models as a registry, and what a node declares (node.h): every
 * entry's parameter table passes param_specs_check; pulp_cluster declares
 * the components and memory levels its configuration has (no `npu` without
 * an NPU, no `wmem` without a weight memory) with the engine's link and
 * wait among them; its generic costs are its own costs placed on that
 * layout; a model with other components is accepted and one with a broken
 * declaration refused. */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cunit_main.h"
#include "test_models_fixture.h"

#define NODES MCUSIM_SOURCE_DIR "/configs/nodes/"

static void test_registry_tables(void)
{
    const registry_entry *const *all = node_model_entries();
    CU_ASSERT_PTR_NOT_NULL_FATAL(all[0]);
    CU_ASSERT_PTR_EQUAL(node_model_registry()->entries(), all);
    CU_ASSERT_PTR_NOT_NULL(node_model_find(NODE_MODEL_DEFAULT, NULL));
    for (size_t i = 0; all[i]; i++) {
        const registry_entry *e = all[i];
        char why[512] = "";
        int rc = param_specs_check(e->params, e->n_params, e->params_size, node_reserved_keys, why,
                                   sizeof why);
        if (rc) fprintf(stderr, "%s: %s\n", e->name, why);
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_TRUE(e->doc && strlen(e->doc) > 10);
        CU_ASSERT_PTR_EQUAL(node_model_find(e->name, NULL), e);
        const node_model_ops *ops = e->ops;
        CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
        CU_ASSERT_TRUE(ops->create && ops->destroy && ops->layout && ops->clock_hz && ops->place &&
                       ops->op_cost && ops->always_on_power);
    }
}

/* A node file bound through the model its `model:` key names. */
static node_model *load_node(const char *file, pulp_params *p)
{
    cfg_error e;
    memset(&e, 0, sizeof e);
    memset(p, 0, sizeof *p);
    cfg_node *root = cfg_load_file(file, &e);
    if (!root) { cfg_error_print(&e, stderr); return NULL; }
    const char *name = cfg_scalar(cfg_map_get(root, "model"));
    const registry_entry *m = node_model_find(name ? name : NODE_MODEL_DEFAULT, NULL);
    node_model *out = NULL;
    char err[256] = "";
    if (m && m->params_size == sizeof *p &&
        cfg_bind(root, "system.node", m->params, m->n_params, node_reserved_keys, p, &e) == 0 &&
        node_model_create(m, p, &out, err, sizeof err) != 0)
        fprintf(stderr, "%s: %s\n", file, err);
    cfg_destroy(root);
    return out;
}

static void names_of(const component_set *s, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < s->n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? " " : "", s->c[i].name);
}

static void test_siracusa_declares_its_components(void)
{
    pulp_params p;
    node_model *m = load_node(NODES "siracusa.yaml", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const node_layout *l = node_layout_of(m);
    char names[512];
    names_of(&l->components, names, sizeof names);
    /* the report columns every summary has had, in their order */
    CU_ASSERT_STRING_EQUAL(names, "cluster npu dma l1 l2 wmem hyperram hyperbus link soc leakage wait");
    const component_set *cs = &l->components;
    CU_ASSERT_STRING_EQUAL(cs->c[cs->system[SYSTEM_LINK]].name, "link");
    CU_ASSERT_STRING_EQUAL(cs->c[cs->system[SYSTEM_WAIT]].name, "wait");
    CU_ASSERT_EQUAL(component_set_leakage(cs), component_set_find(cs, "leakage"));
    for (uint32_t i = 0; i < cs->n; i++)
        CU_ASSERT_EQUAL(cs->c[i].on_mcu, strcmp(cs->c[i].name, "hyperram") != 0);
    CU_ASSERT_EQUAL(l->levels.n, 4);
    CU_ASSERT_STRING_EQUAL(l->levels.v[l->stream_level].name, "HyperRAM");
    CU_ASSERT_TRUE(l->levels.v[l->stream_level].off_chip);
    CU_ASSERT_EQUAL(l->stream_component, component_set_find(cs, "hyperram"));
    node_model_destroy(m);
}

static void test_no_npu_no_npu_component(void)
{
    pulp_params p;
    node_model *m = load_node(NODES "pulp_nonpu_wmem.yaml", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const node_layout *l = node_layout_of(m);
    CU_ASSERT_FALSE(p.npu_present);
    CU_ASSERT_EQUAL(component_set_find(&l->components, "npu"), -1);
    CU_ASSERT_TRUE(component_set_find(&l->components, "wmem") >= 0);
    CU_ASSERT_STRING_EQUAL(l->levels.v[MEM_WMEM].name, "wmem");
    node_model_destroy(m);
    m = load_node(NODES "siracusa_l2only.yaml", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    l = node_layout_of(m);
    CU_ASSERT_EQUAL(component_set_find(&l->components, "wmem"), -1);
    CU_ASSERT_TRUE(component_set_find(&l->components, "npu") >= 0);
    CU_ASSERT_EQUAL(l->levels.n, 3);   /* L1, L2, HyperRAM */
    node_model_destroy(m);
}

/* Every figure of the generic cost is the model's own for the component
 * of that name; the engine's components get nothing from the node. */
static void test_generic_cost_is_the_models(void)
{
    pulp_params p = fx_params();
    p.npu_present = false;
    p.wmem_size = 1 << 20;
    p.wmem_cluster_bytes_per_cycle = 16;
    p.wmem_energy_per_byte = 3e-12;
    node_model *g = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(node_model_create(node_model_find("pulp_cluster", NULL), &p, &g, err,
                                            sizeof err), 0);
    pulp_node *own = fx_model(&p);
    const component_set *cs = &node_layout_of(g)->components;
    static const char *const names[COMP__COUNT] = {
        [COMP_CLUSTER] = "cluster", [COMP_NPU] = "npu", [COMP_DMA] = "dma", [COMP_L1] = "l1",
        [COMP_L2] = "l2", [COMP_WMEM] = "wmem", [COMP_HYPERRAM] = "hyperram",
        [COMP_HYPERBUS] = "hyperbus", [COMP_SOC] = "soc", [COMP_LEAKAGE] = "leakage"};
    for (int home = MEM_L2; home <= MEM_WMEM; home++) {
        system_program *sp = fx_gemm_program(4, 64, 256, false);
        sp->chips[0].bufs[1].home = (mem_level)home;
        op_cost c;
        pulp_cost q;
        CU_ASSERT_EQUAL_FATAL(node_op_cost(g, &sp->chips[0], &sp->chips[0].ops[0], &c), 0);
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(own, &sp->chips[0], &sp->chips[0].ops[0], &q), 0);
        CU_ASSERT_EQUAL(c.cycles, q.cycles);
        uint64_t time = 0;
        for (uint32_t k = 0; k < cs->n; k++) time += c.time_cycles[k];
        CU_ASSERT_EQUAL(time, c.cycles);
        for (int k = 0; k < COMP__COUNT; k++) {
            int at = component_set_find(cs, names[k]);
            if (at < 0) {   /* only the NPU is missing, and it did nothing */
                CU_ASSERT_EQUAL(k, COMP_NPU);
                CU_ASSERT_EQUAL(q.busy_cycles[k] + q.time_cycles[k], 0);
                continue;
            }
            CU_ASSERT_EQUAL(c.busy_cycles[at], q.busy_cycles[k]);
            CU_ASSERT_EQUAL(c.time_cycles[at], q.time_cycles[k]);
            CU_ASSERT_DOUBLE_EQUAL(c.energy_j[at], q.energy_j[k], 0);
        }
        for (int k = 0; k < SYSTEM__COUNT; k++) {
            CU_ASSERT_EQUAL(c.busy_cycles[cs->system[k]] + c.time_cycles[cs->system[k]], 0);
            CU_ASSERT_DOUBLE_EQUAL(c.energy_j[cs->system[k]], 0, 0);
        }
        for (int l = 0; l < MEM__COUNT; l++) CU_ASSERT_EQUAL(c.bytes[l], q.bytes[l]);
        system_program_destroy(sp);
    }
    pulp_node_destroy(own);
    node_model_destroy(g);
}

/* ---- a model of another shape, declared in this file alone ---- */

typedef struct tiny { int broken; } tiny;

static int tiny_create(const void *params, void **self, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    *self = (void *)params;
    return 0;
}
static void tiny_destroy(void *self) { (void)self; }
static double tiny_clock(const void *self) { (void)self; return 100e6; }
static int tiny_place(const void *self, chip_program *c, placement_report *out, char *err,
                      size_t errlen)
{
    (void)self, (void)out, (void)err, (void)errlen;
    for (uint32_t b = 0; b < c->n_bufs; b++) c->bufs[b].home = 0;
    return 0;
}
static int tiny_cost(const void *self, const chip_program *c, const prog_op *op, op_cost *out)
{
    (void)self, (void)c;
    out->cycles = out->busy_cycles[0] = out->time_cycles[0] = op->work.elem_ops;
    return 0;
}
static void tiny_power(const void *self, double leak[COMPONENTS_MAX], double always[COMPONENTS_MAX])
{
    (void)self, (void)leak, (void)always;
}

/* One core and one SRAM, no off-chip memory; broken = 1 declares the core
 * twice, broken = 2 streams through an on-chip level. */
static void tiny_layout(const void *self, node_layout *l)
{
    const tiny *t = self;
    component_set_init(&l->components);
    component_set_add(&l->components, "core", true, true, true, "the core");
    component_set_add(&l->components, t->broken == 1 ? "core" : "sram", true, false, true,
                      "its memory");
    component_set_finish(&l->components);
    l->levels.n = 1;
    snprintf(l->levels.v[0].name, sizeof l->levels.v[0].name, "SRAM");
    l->stream_level = t->broken == 2 ? 0 : -1;
    l->stream_component = t->broken == 2 ? 0 : -1;
}

static const node_model_ops tiny_ops = {tiny_create, tiny_destroy, tiny_layout, tiny_clock,
                                        tiny_place, tiny_cost, tiny_power,
                                        NULL /* no capacity: chips count as alike */};
static const registry_entry tiny_entry = {"tiny", "a test node", NULL, 0, sizeof(tiny),
                                          &tiny_ops, NULL};

static void test_other_shapes_accepted_broken_refused(void)
{
    tiny t = {0};
    node_model *m = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(node_model_create(&tiny_entry, &t, &m, err, sizeof err), 0);
    const node_layout *l = node_layout_of(m);
    char names[128];
    names_of(&l->components, names, sizeof names);
    CU_ASSERT_STRING_EQUAL(names, "core sram link wait");   /* the engine's last */
    CU_ASSERT_EQUAL(component_set_leakage(&l->components), -1);
    node_model_destroy(m);
    for (t.broken = 1; t.broken <= 2; t.broken++) {
        err[0] = '\0';
        CU_ASSERT_NOT_EQUAL(node_model_create(&tiny_entry, &t, &m, err, sizeof err), 0);
        CU_ASSERT_PTR_NULL(m);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "node model 'tiny' declares a bad layout"));
    }
}

static int register_tests(void)
{
    ADD_SUITE("models_layout", TEST(test_registry_tables),
              TEST(test_siracusa_declares_its_components), TEST(test_no_npu_no_npu_component),
              TEST(test_generic_cost_is_the_models),
              TEST(test_other_shapes_accepted_broken_refused));
    return 0;
}

CUNIT_MAIN(register_tests)
