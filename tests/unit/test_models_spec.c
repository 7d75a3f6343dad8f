/* The node parameter table and the shipped node file: every spec is
 * documented, has a sane range and a parseable default or is required; the
 * shipped siracusa.yaml binds through the table, states every key, and gives
 * each value a source sureness in its comment. */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cunit_main.h"
#include "pulp_internal.h"
#include "units.h"

#define NODE_YAML MCUSIM_SOURCE_DIR "/configs/nodes/siracusa.yaml"

static void test_every_spec_sane(void)
{
    CU_ASSERT_TRUE(pulp_param_count > 20);
    for (size_t i = 0; i < pulp_param_count; i++) {
        const param_spec *s = &pulp_param_specs[i];
        CU_ASSERT_PTR_NOT_NULL_FATAL(s->key);
        CU_ASSERT_PTR_NOT_NULL(s->doc);
        if (s->doc) CU_ASSERT_TRUE(strlen(s->doc) > 10);
        CU_ASSERT_TRUE(s->min <= s->max);
        CU_ASSERT_TRUE(s->offset < sizeof(pulp_params));
        if (s->type == PARAM_QUANTITY) CU_ASSERT_TRUE(s->dim != DIM_NONE);
        if (s->type == PARAM_ENUM) CU_ASSERT_PTR_NOT_NULL(s->enum_names);
        for (size_t j = 0; j < i; j++) CU_ASSERT_STRING_NOT_EQUAL(s->key, pulp_param_specs[j].key);
        if (s->default_text && s->type == PARAM_QUANTITY) {
            double v;
            char err[256];
            CU_ASSERT_EQUAL(unit_parse(s->default_text, s->dim, &v, err, sizeof err), 0);
            CU_ASSERT_TRUE(v >= s->min && v <= s->max);
        }
    }
}

static cfg_node *load_node(cfg_error *e)
{
    return cfg_load_file(NODE_YAML, e);
}

static void test_siracusa_yaml_binds_and_creates(void)
{
    cfg_error e;
    memset(&e, 0, sizeof e);
    cfg_node *root = load_node(&e);
    if (!root) cfg_error_print(&e, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    pulp_params p;
    memset(&p, 0, sizeof p);
    int rc = cfg_bind(root, "system.node", pulp_param_specs, pulp_param_count, node_reserved_keys, &p, &e);
    if (rc) cfg_error_print(&e, stderr);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    /* spot checks against FACTS.md figures the file must carry */
    CU_ASSERT_DOUBLE_EQUAL(p.l2_size, 2.0 * 1024 * 1024, 0.5);
    CU_ASSERT_EQUAL(p.cores, 8);
    CU_ASSERT_DOUBLE_EQUAL(p.simd_macs_per_cycle, 4, 1e-9);
    pulp_node *m = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL(pulp_node_create(&p, &m, err, sizeof err), 0);
    pulp_node_destroy(m);
    /* every parameter is written in the file, not left to a default */
    for (size_t i = 0; i < pulp_param_count; i++) {
        const cfg_node *n = cfg_get_path(root, pulp_param_specs[i].key);
        if (!n) fprintf(stderr, "missing in siracusa.yaml: %s\n", pulp_param_specs[i].key);
        CU_ASSERT_PTR_NOT_NULL(n);
    }
    cfg_destroy(root);
}

/* Each `key: value` line (not a map header) carries a comment with its sureness. */
static void test_siracusa_yaml_values_have_sources(void)
{
    FILE *f = fopen(NODE_YAML, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[512];
    int values = 0;
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        char *colon = strchr(line, ':');
        if (!colon || (hash && hash < colon)) continue;
        const char *v = colon + 1;
        while (*v == ' ') v++;
        if (*v == '\n' || *v == '\0' || *v == '#') continue;   /* map header */
        if (strncmp(line, "name:", 5) == 0 || strncmp(line, "model:", 6) == 0) continue;
        values++;
        bool sourced = hash && (strstr(hash, "firm") || strstr(hash, "approx") || strstr(hash, "assumed"));
        if (!sourced) fprintf(stderr, "no source: %s", line);
        CU_ASSERT_TRUE(sourced);
    }
    fclose(f);
    CU_ASSERT_TRUE(values >= 30);
}

static int register_tests(void)
{
    ADD_SUITE("models_spec", TEST(test_every_spec_sane), TEST(test_siracusa_yaml_binds_and_creates),
              TEST(test_siracusa_yaml_values_have_sources));
    return 0;
}

CUNIT_MAIN(register_tests)
