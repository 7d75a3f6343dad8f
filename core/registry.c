/* Finding an entry by name in a registry (see registry.h). */
#include "registry.h"

#include <stdio.h>
#include <string.h>

const registry_entry *registry_find(const registry_entry *const *entries, const char *name,
                                    int *deprecated)
{
    if (deprecated) *deprecated = 0;
    if (!entries || !name) return NULL;
    for (size_t i = 0; entries[i]; i++)
        if (strcmp(entries[i]->name, name) == 0) return entries[i];
    for (size_t i = 0; entries[i]; i++)
        if (entries[i]->deprecated_alias && strcmp(entries[i]->deprecated_alias, name) == 0) {
            if (deprecated) *deprecated = 1;
            return entries[i];
        }
    return NULL;
}

void registry_names(const registry_entry *const *entries, char *buf, size_t len)
{
    size_t used = 0;
    if (len) buf[0] = '\0';
    for (size_t i = 0; entries && entries[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", entries[i]->name);
}
