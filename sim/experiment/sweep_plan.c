/* The points of a sweep (see sweep_plan.h). */
#include "sweep_plan.h"

#include <stdio.h>
#include <string.h>

int sweep_axis_parse(const char *text, sweep_axis *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof out->key) {
        snprintf(err, errlen, "'%s': expected key.path=v1,v2,...", text);
        return -1;
    }
    memcpy(out->key, text, (size_t)(eq - text));
    for (const char *p = eq + 1;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == 0 || len >= SWEEP_VALUE_MAX || out->n == SWEEP_MAX_VALUES) {
            snprintf(err, errlen, "'%s': empty, too long or too many values", text);
            return -1;
        }
        memcpy(out->values[out->n], p, len);
        out->values[out->n++][len] = '\0';
        if (!c) return 0;
        p = c + 1;
    }
}

static size_t grid_size(const sweep_plan *p)
{
    size_t g = 1;
    for (size_t a = 0; a < p->n_axes; a++) g *= p->axes[a].n;
    return g;
}

size_t sweep_plan_size(const sweep_plan *p)
{
    return p->listed ? p->n_listed : grid_size(p) * p->n_chips;
}

void sweep_point_id(uint32_t chips, uint32_t grid_index, bool has_grid, char *buf, size_t cap)
{
    if (has_grid) snprintf(buf, cap, "g%03u-c%04u", (unsigned)grid_index, (unsigned)chips);
    else snprintf(buf, cap, "c%04u", (unsigned)chips);
}

void sweep_plan_point(const sweep_plan *p, size_t index, sweep_point *out)
{
    memset(out, 0, sizeof *out);
    if (p->listed) {
        p->listed(p->listed_ctx, index, out);
        out->index = index;
        return;
    }
    size_t g = index / p->n_chips;
    out->index = index;
    out->chips = (uint32_t)p->chips[index % p->n_chips];
    out->grid_index = (uint32_t)g;
    sweep_point_id(out->chips, out->grid_index, p->n_axes > 0, out->id, sizeof out->id);
    if (p->n_axes == 0) return;
    size_t rest = g;
    for (size_t a = p->n_axes; a-- > 0;) {
        size_t v = rest % p->axes[a].n;
        rest /= p->axes[a].n;
        snprintf(out->assign[a], sizeof out->assign[a], "%s=%s", p->axes[a].key,
                 p->axes[a].values[v]);
    }
    out->n_assign = p->n_axes;
    size_t len = 0;
    for (size_t a = 0; a < p->n_axes && len < sizeof out->sweep; a++)
        len += (size_t)snprintf(out->sweep + len, sizeof out->sweep - len, "%s%s", a ? ";" : "",
                                out->assign[a]);
}
