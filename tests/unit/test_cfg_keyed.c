/* Where a model's cross-field error lands (cfg_fail_keyed): at the key the
 * message starts with when a file writes it, at the nearest map around it
 * when the key took its default, at the section when the message names no
 * key; the path always names the key in full. */
#include <string.h>

#include "cfg.h"
#include "cunit_main.h"

static const char yaml[] =
    "node:\n"
    "  l2:\n"
    "    size: 128 KiB\n"
    "    reserved: 128 KiB\n"
    "  wmem: {size: 1 MiB}\n";

static cfg_node *load(void)
{
    cfg_error e;
    cfg_node *root = cfg_load_string(yaml, strlen(yaml), "node.yaml", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    return root;
}

static void test_written_key(void)
{
    cfg_node *root = load();
    cfg_error e;
    CU_ASSERT_EQUAL(cfg_fail_keyed(&e, cfg_map_get(root, "node"), "system.node",
                                   "l2.reserved: 128 KiB leaves nothing of l2.size 128 KiB"),
                    -1);
    CU_ASSERT_STRING_EQUAL(e.file, "node.yaml");
    CU_ASSERT_EQUAL(e.line, 4);   /* the line of reserved */
    CU_ASSERT_STRING_EQUAL(e.path, "system.node.l2.reserved");
    CU_ASSERT_STRING_EQUAL(e.msg, "128 KiB leaves nothing of l2.size 128 KiB");
    cfg_destroy(root);
}

static void test_defaulted_key_lands_on_its_map(void)
{
    cfg_node *root = load();
    cfg_error e;
    cfg_fail_keyed(&e, cfg_map_get(root, "node"), "system.node",
                   "wmem.cluster_bytes_per_cycle: 0 bytes per cycle");
    CU_ASSERT_EQUAL(e.line, 5);   /* the wmem map: the key itself is not written */
    CU_ASSERT_STRING_EQUAL(e.path, "system.node.wmem.cluster_bytes_per_cycle");
    cfg_fail_keyed(&e, cfg_map_get(root, "node"), "system.node", "npu.offload: npu requested");
    CU_ASSERT_EQUAL(e.line, 2);   /* no npu map either: the section */
    CU_ASSERT_STRING_EQUAL(e.path, "system.node.npu.offload");
    cfg_destroy(root);
}

static void test_message_without_key(void)
{
    cfg_node *root = load();
    cfg_error e;
    cfg_fail_keyed(&e, cfg_map_get(root, "node"), "system.link", "rejected: for no reason given");
    /* "rejected" is no key of the section, but reads as one: placed at the section */
    CU_ASSERT_EQUAL(e.line, 2);
    cfg_fail_keyed(&e, cfg_map_get(root, "node"), "system.link", "link model rejected its parameters");
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_STRING_EQUAL(e.path, "system.link");
    CU_ASSERT_STRING_EQUAL(e.msg, "link model rejected its parameters");
    cfg_destroy(root);
}

static int register_tests(void)
{
    ADD_SUITE("cfg_keyed", TEST(test_written_key), TEST(test_defaulted_key_lands_on_its_map),
              TEST(test_message_without_key));
    return 0;
}

CUNIT_MAIN(register_tests)
