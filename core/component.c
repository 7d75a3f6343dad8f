/* Component lists (see component.h). */
#include "component.h"

#include <stdio.h>
#include <string.h>

static const component_decl system_decls[SYSTEM__COUNT] = {
    [SYSTEM_LINK] = {"link", true, true, true, false,
                     "chip-to-chip links (link model); time on the wire"},
    [SYSTEM_WAIT] = {"wait", false, true, true, false,
                     "time waiting on peers or a busy link, and after finishing while others ran"},
};

const component_decl *component_system_decl(system_component k)
{
    return (unsigned)k < SYSTEM__COUNT ? &system_decls[k] : NULL;
}

void component_set_init(component_set *s)
{
    memset(s, 0, sizeof *s);
    for (int k = 0; k < SYSTEM__COUNT; k++) s->system[k] = UINT32_MAX;
}

static int append(component_set *s, const component_decl *d)
{
    if (s->n >= COMPONENTS_MAX) return -1;
    s->c[s->n++] = *d;
    return 0;
}

int component_set_add(component_set *s, const char *name, bool energy, bool time, bool on_mcu,
                      const char *doc)
{
    component_decl d;
    memset(&d, 0, sizeof d);
    if (strlen(name) >= sizeof d.name) return -1;
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.doc, sizeof d.doc, "%s", doc);
    d.energy = energy;
    d.time = time;
    d.on_mcu = on_mcu;
    return append(s, &d);
}

int component_set_add_system(component_set *s, system_component k)
{
    if ((unsigned)k >= SYSTEM__COUNT || s->system[k] < s->n) return -1;
    s->system[k] = s->n;
    return append(s, &system_decls[k]);
}

int component_set_finish(component_set *s)
{
    for (int k = 0; k < SYSTEM__COUNT; k++)
        if (s->system[k] >= s->n && component_set_add_system(s, (system_component)k) != 0)
            return -1;
    return 0;
}

int component_set_merge(component_set *u, const component_set *s)
{
    uint32_t next = 0;   /* where a new component goes: after the previous one of s */
    for (uint32_t k = 0; k < s->n && k < COMPONENTS_MAX; k++) {
        int at = component_set_find(u, s->c[k].name);
        if (at >= 0) {
            u->c[at].energy |= s->c[k].energy;
            u->c[at].time |= s->c[k].time;
            next = (uint32_t)at + 1;
            continue;
        }
        if (u->n >= COMPONENTS_MAX) return -1;
        memmove(&u->c[next + 1], &u->c[next], (u->n - next) * sizeof u->c[0]);
        u->c[next] = s->c[k];
        u->n++;
        next++;
    }
    for (int k = 0; k < SYSTEM__COUNT; k++) {
        int at = component_set_find(u, system_decls[k].name);
        u->system[k] = at < 0 ? UINT32_MAX : (uint32_t)at;
    }
    return 0;
}

int component_set_find(const component_set *s, const char *name)
{
    for (uint32_t i = 0; i < s->n && i < COMPONENTS_MAX; i++)
        if (strcmp(s->c[i].name, name) == 0) return (int)i;
    return -1;
}

int component_set_leakage(const component_set *s)
{
    for (uint32_t i = 0; i < s->n && i < COMPONENTS_MAX; i++)
        if (s->c[i].leakage) return (int)i;
    return -1;
}

static bool name_ok(const char *name, size_t cap)
{
    size_t len = strnlen(name, cap);
    if (len == 0 || len == cap) return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

static bool doc_ok(const char *doc, size_t cap)
{
    size_t len = strnlen(doc, cap);
    if (len == 0 || len == cap) return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)doc[i] < 0x20 || doc[i] == 0x7f) return false;
    return true;
}

static int bad(char *why, size_t len, const char *msg, const char *name)
{
    snprintf(why, len, "component '%.*s': %s", COMPONENT_NAME_MAX, name, msg);
    return -1;
}

int component_set_check(const component_set *s, char *why, size_t len)
{
    if (s->n == 0 || s->n > COMPONENTS_MAX) {
        snprintf(why, len, "%u components: expected 1..%d", s->n, COMPONENTS_MAX);
        return -1;
    }
    int leakage = -1;
    for (uint32_t i = 0; i < s->n; i++) {
        const component_decl *d = &s->c[i];
        if (!name_ok(d->name, sizeof d->name)) {
            snprintf(why, len, "component %u: name must be 1..%d characters of a-z, 0-9, _", i,
                     COMPONENT_NAME_MAX - 1);
            return -1;
        }
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(s->c[j].name, d->name) == 0) return bad(why, len, "declared twice", d->name);
        if (!d->energy && !d->time) return bad(why, len, "has neither an energy nor a time view", d->name);
        if (!doc_ok(d->doc, sizeof d->doc)) return bad(why, len, "needs a one-line doc", d->name);
        if (d->leakage && (leakage >= 0 || !d->energy))
            return bad(why, len, "a second leakage component, or one without energy", d->name);
        if (d->leakage) leakage = (int)i;
    }
    for (int k = 0; k < SYSTEM__COUNT; k++) {
        const component_decl *want = &system_decls[k];
        uint32_t at = s->system[k];
        if (at >= s->n || strcmp(s->c[at].name, want->name) != 0 ||
            s->c[at].energy != want->energy || s->c[at].time != want->time || s->c[at].leakage)
            return bad(why, len, "the engine's component is missing or declared differently",
                       want->name);
    }
    return 0;
}
