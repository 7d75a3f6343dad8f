/* `mcusim links --check` (see link_conformance.h). */
#include "link_conformance.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../interconnect/link_check.h"
#include "../config/cfg.h"

/* Payloads probed, in increasing order: the edges of words, packets and
 * bursts, up to the largest partial sums the paper set moves (16 MiB). */
static const uint64_t probes[] = {0, 1, 2, 3, 4, 7, 8, 63, 64, 65, 100, 1000, 1023, 1024,
                                  1025, 4095, 4096, 4097, 65535, 65536, 1u << 20, 1u << 24};
#define N_PROBES (sizeof probes / sizeof probes[0])

/* The YAML map "{k: v, ...}" of the --set values, bound into a fresh struct. */
static void *bind_params(const link_model_ops *ops, const char *text, char *err, size_t errlen)
{
    cfg_error e;
    memset(&e, 0, sizeof e);
    cfg_node *map = cfg_load_string(text, strlen(text), "--set", &e);
    void *p = map ? calloc(1, ops->params_size ? ops->params_size : 1) : NULL;
    if (p && cfg_bind(map, "", ops->params, ops->n_params, NULL, p, &e) != 0) {
        free(p);
        p = NULL;
    }
    if (!p) snprintf(err, errlen, "%s%s%s", e.path, e.path[0] ? ": " : "", e.msg[0] ? e.msg : "out of memory");
    cfg_destroy(map);
    return p;
}

static char *sets_yaml(const char *const *sets, size_t n)
{
    size_t cap = 3;
    for (size_t i = 0; i < n; i++) cap += strlen(sets[i]) + 4;
    char *t = malloc(cap);
    if (!t) return NULL;
    size_t used = (size_t)snprintf(t, cap, "{");
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq) { free(t); return NULL; }
        used += (size_t)snprintf(t + used, cap - used, "%s%.*s: %s", i ? ", " : "",
                                 (int)(eq - sets[i]), sets[i], eq + 1);
    }
    snprintf(t + used, cap - used, "}");
    return t;
}

static void verdict(FILE *out, const char *name, bool ok, const char *detail, int *failed)
{
    fprintf(out, "  %-14s %s%s%s\n", name, ok ? "pass" : "FAIL", ok || !detail[0] ? "" : ": ",
            ok ? "" : detail);
    if (!ok) (*failed)++;
}

/* printed as validate prints it, bound again: the same bytes */
static bool round_trips(const link_model_ops *ops, const void *p, char *why, size_t len)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f) return snprintf(why, len, "out of memory"), false;
    cfg_print_bound(f, 0, ops->params, ops->n_params, p);
    fclose(f);
    void *q = bind_params(ops, text, why, len);
    bool same = q && memcmp(p, q, ops->params_size) == 0;
    if (q && !same) snprintf(why, len, "printed as\n%s  binds to different values", text);
    free(q);
    free(text);
    return same;
}

static bool same_cost(link_cost a, link_cost b)
{
    return memcmp(&a.time_s, &b.time_s, sizeof a.time_s) == 0 &&
           memcmp(&a.energy_j, &b.energy_j, sizeof a.energy_j) == 0 && a.wire_bytes == b.wire_bytes;
}

int link_conformance(const link_model_ops *ops, const char *plugin_path,
                     const char *const *sets, size_t n_sets, FILE *out, char *err,
                     size_t errlen)
{
    int failed = 0;
    char who[600], why[2048] = "";
    link_describe(ops, plugin_path, who, sizeof who);
    fprintf(out, "%s: conformance\n", who);
    bool table = link_ops_check(ops, plugin_path, why, sizeof why) == 0;
    verdict(out, "table", table, why, &failed);
    if (!table) return failed;   /* nothing can be bound through it */
    char *text = sets_yaml(sets, n_sets);
    if (!text) { snprintf(err, errlen, "--set: expected key=value"); return -1; }
    void *p = bind_params(ops, text, err, errlen);
    free(text);
    if (!p) return -1;
    why[0] = '\0';
    verdict(out, "round-trip", round_trips(ops, p, why, sizeof why), why, &failed);
    link_model *m = NULL, *m2 = NULL;
    why[0] = '\0';
    bool created = ops->create(p, &m, why, sizeof why) == 0 && m;
    verdict(out, "create", created, why[0] ? why : "create failed", &failed);
    if (!created) { free(p); return failed; }
    link_cost c[N_PROBES];
    bool finite = true, monotone = true, det = true;
    char fwhy[600] = "", mwhy[300] = "", dwhy[300] = "";
    if (ops->create(p, &m2, why, sizeof why) != 0) m2 = NULL;
    for (size_t i = 0; i < N_PROBES; i++) {
        c[i] = ops->transfer(m, probes[i]);
        if (finite && link_cost_check(who, probes[i], &c[i], fwhy, sizeof fwhy) != 0) finite = false;
        link_cost again = ops->transfer(m, probes[i]);
        link_cost other = m2 ? ops->transfer(m2, probes[i]) : again;
        if (det && (!same_cost(c[i], again) || !same_cost(c[i], other))) {
            det = false;
            snprintf(dwhy, sizeof dwhy, "transfer(bytes=%llu) differs between %s",
                     (unsigned long long)probes[i], !same_cost(c[i], again) ? "two calls" : "two instances");
        }
        if (monotone && i && (c[i].time_s < c[i - 1].time_s || c[i].energy_j < c[i - 1].energy_j ||
                              c[i].wire_bytes < c[i - 1].wire_bytes)) {
            monotone = false;
            snprintf(mwhy, sizeof mwhy,
                     "transfer(bytes=%llu) = {%g s, %g J, %llu B} is below transfer(bytes=%llu) = "
                     "{%g s, %g J, %llu B}", (unsigned long long)probes[i], c[i].time_s,
                     c[i].energy_j, (unsigned long long)c[i].wire_bytes,
                     (unsigned long long)probes[i - 1], c[i - 1].time_s, c[i - 1].energy_j,
                     (unsigned long long)c[i - 1].wire_bytes);
        }
    }
    verdict(out, "finite", finite, fwhy, &failed);
    verdict(out, "monotone", monotone, mwhy, &failed);
    bool zero = !(c[0].time_s > c[1].time_s) && !(c[0].energy_j > c[1].energy_j);
    char zwhy[200];
    snprintf(zwhy, sizeof zwhy, "0 bytes cost {%g s, %g J}, 1 byte {%g s, %g J}", c[0].time_s,
             c[0].energy_j, c[1].time_s, c[1].energy_j);
    verdict(out, "zero-bytes", zero, zwhy, &failed);
    verdict(out, "deterministic", det, dwhy, &failed);
    ops->destroy(m);
    if (m2) ops->destroy(m2);
    free(p);
    return failed;
}
