/* The link map (link_map.h): the schedule's directed pairs, sorted, each
 * with the index of the model instance that carries it. */
#include "link_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct instance {
    const link_model_ops *ops;
    link_model *model;
    char *name;
} instance;

struct link_map {
    instance *inst;          /* [0] the default, [1 + i] rule i */
    size_t n_inst;
    uint32_t (*pairs)[2];    /* sorted (src, dst) */
    uint32_t *level;         /* per pair: the topology level its sends carry (0: none) */
    int *rule;               /* per pair: rule index, -1 = default */
    size_t n_pairs;
};

void link_map_destroy(link_map *m)
{
    if (!m) return;
    for (size_t i = 0; m->inst && i < m->n_inst; i++)
        if (m->inst[i].model && m->inst[i].ops->destroy) m->inst[i].ops->destroy(m->inst[i].model);
    for (size_t i = 0; m->inst && i < m->n_inst; i++) free(m->inst[i].name);
    free(m->inst);
    free(m->pairs);
    free(m->level);
    free(m->rule);
    free(m);
}

/* A level rule names the pairs whose transfers the schedule put at that
 * level (the collective's levels among its ranks, its group's when it runs
 * in a group; a partitioner's own sends have none). */
static bool rule_names(const link_map_rule *r, uint32_t level, uint32_t src, uint32_t dst)
{
    if (r->level) return level == r->level;
    for (size_t i = 0; i < r->n_pairs; i++)
        if (r->pairs[i][0] == src && r->pairs[i][1] == dst) return true;
    return false;
}

static int assign(link_map *m, const system_program *p, const link_map_rule *rules,
                  size_t n_rules, char *err, size_t errlen)
{
    for (size_t k = 0; k < m->n_pairs; k++) {
        uint32_t src = m->pairs[k][0], dst = m->pairs[k][1];
        m->rule[k] = -1;
        for (size_t i = 0; i < n_rules; i++) {
            if (!rule_names(&rules[i], m->level[k], src, dst)) continue;
            if (m->rule[k] >= 0) {
                snprintf(err, errlen, "%s and %s both name link %u->%u (on %u chips)",
                         rules[m->rule[k]].where, rules[i].where, src, dst, p->n_chips);
                return -1;
            }
            m->rule[k] = (int)i;
        }
    }
    return 0;
}

static int create_instances(link_map *m, const link_map_rule *dflt, const link_map_rule *rules,
                            char *err, size_t errlen)
{
    for (size_t i = 0; i < m->n_inst; i++) {
        const link_map_rule *r = i ? &rules[i - 1] : dflt;
        instance *in = &m->inst[i];
        in->ops = r->ops;
        in->name = strdup(r->name ? r->name : "link model");
        if (!in->name) {
            snprintf(err, errlen, "out of memory building the link map");
            return -1;
        }
        char why[400] = "";
        if (!r->ops || r->ops->create(r->params, &in->model, why, sizeof why) != 0) {
            in->model = NULL;
            const char *reason = why[0] ? why : "the model refused its parameters";
            snprintf(err, errlen, "%s: %s", i ? r->where : "system.link",
                     r->ops ? reason : "no link model");
            return -1;
        }
    }
    return 0;
}

static int cmp_key(const void *key, const void *elem);

/* Each pair's level, from the sends that use it. */
static void note_levels(link_map *m, const system_program *p)
{
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *op = &p->chips[c].ops[i];
            if (op->kind != OP_SEND || op->peer < 0 || !op->level) continue;
            const uint32_t key[2] = {c, (uint32_t)op->peer};
            const uint32_t(*hit)[2] = bsearch(key, m->pairs, m->n_pairs, sizeof *m->pairs, cmp_key);
            if (hit) m->level[hit - m->pairs] = op->level;
        }
}

link_map *link_map_create(const system_topology *t, const system_program *p,
                          const link_map_rule *dflt, const link_map_rule *rules, size_t n_rules,
                          char *err, size_t errlen)
{
    for (size_t i = 0; i < n_rules; i++)
        if (rules[i].level && !topology_has_levels(t)) {
            snprintf(err, errlen, "%s: level %u: collective %s has no levels", rules[i].where,
                     rules[i].level, t->collective ? t->collective->name : "(none)");
            return NULL;
        }
    link_map *m = calloc(1, sizeof *m);
    if (!m) goto oom;
    m->n_inst = 1 + n_rules;
    m->inst = calloc(m->n_inst, sizeof *m->inst);
    if (!m->inst || topology_links(p, &m->pairs, &m->n_pairs) != 0) goto oom;
    m->rule = calloc(m->n_pairs ? m->n_pairs : 1, sizeof *m->rule);
    m->level = calloc(m->n_pairs ? m->n_pairs : 1, sizeof *m->level);
    if (!m->rule || !m->level) goto oom;
    note_levels(m, p);
    if (assign(m, p, rules, n_rules, err, errlen) != 0 ||
        create_instances(m, dflt, rules, err, errlen) != 0) {
        link_map_destroy(m);
        return NULL;
    }
    return m;
oom:
    snprintf(err, errlen, "out of memory building the link map");
    link_map_destroy(m);
    return NULL;
}

static int cmp_key(const void *key, const void *elem)
{
    const uint32_t *x = key, *y = elem;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

int link_map_rule_of(const link_map *m, uint32_t src, uint32_t dst)
{
    const uint32_t key[2] = {src, dst};
    const uint32_t(*hit)[2] = bsearch(key, m->pairs, m->n_pairs, sizeof *m->pairs, cmp_key);
    return hit ? m->rule[hit - m->pairs] : -1;
}

static const instance *instance_of(const link_map *m, uint32_t src, uint32_t dst)
{
    return &m->inst[1 + link_map_rule_of(m, src, dst)];
}

link_cost link_map_transfer(const link_map *m, uint32_t src, uint32_t dst, uint64_t bytes)
{
    const instance *in = instance_of(m, src, dst);
    return in->ops->transfer(in->model, bytes);
}

const char *link_map_name(const link_map *m, uint32_t src, uint32_t dst)
{
    return instance_of(m, src, dst)->name;
}
