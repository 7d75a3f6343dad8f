/* Loading an out-of-tree link model. Every way a plug-in can be wrong gets
 * its own one-line message, because the person reading it is usually
 * building their first plug-in and needs to know which step failed. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/file_read.h"
#include "../core/link.h"
#include "link_check.h"

static const char *table_gap(const link_model_ops *t)
{
    if (!t->name || !t->name[0]) return "name";
    if (!t->create) return "create";
    if (!t->transfer) return "transfer";
    if (!t->destroy) return "destroy";
    if (t->n_params && !t->params) return "params (n_params > 0)";
    if (t->n_params && !t->params_size) return "params_size (n_params > 0)";
    return NULL;
}

const link_model_ops *link_plugin_open(const char *path, void **handle, char *err, size_t errlen)
{
    *handle = NULL;
    struct stat st;
    if (!path || stat(path, &st) != 0) {
        snprintf(err, errlen, "link plug-in '%s': file not found", path ? path : "(null)");
        return NULL;
    }
    /* dlopen() would block forever opening a FIFO and read a device: only
     * a regular file can be a library. */
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "link plug-in '%s': not a loadable shared library: %s, not a "
                 "regular file", path, file_kind_name(st.st_mode));
        return NULL;
    }
    /* dlopen searches the library path for names without a slash; a config
     * names a file, so make it a path. */
    char rel[4096];
    if (!strchr(path, '/')) {
        snprintf(rel, sizeof rel, "./%s", path);
        path = rel;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "link plug-in '%s': not a loadable shared library: %s", path,
                 dlerror());
        return NULL;
    }
    dlerror();
    void *sym = dlsym(h, MCUSIM_LINK_SYMBOL);
    if (!sym) {
        snprintf(err, errlen, "link plug-in '%s': missing symbol '%s' (export "
                 "const link_model_ops *%s(void))", path, MCUSIM_LINK_SYMBOL, MCUSIM_LINK_SYMBOL);
        dlclose(h);
        return NULL;
    }
    /* POSIX guarantees object and function pointers convert through dlsym. */
    link_model_entry_fn entry;
    *(void **)&entry = sym;
    const link_model_ops *t = entry();
    const char *why = NULL;
    char msg[128];
    if (!t) {
        why = "returned no table (NULL)";
    } else if (t->abi_version != MCUSIM_LINK_ABI_VERSION) {
        snprintf(msg, sizeof msg, "ABI version %u, this mcusim needs %u: rebuild it against "
                 "this link.h", t->abi_version, MCUSIM_LINK_ABI_VERSION);
        why = msg;
    } else if (table_gap(t)) {
        snprintf(msg, sizeof msg, "incomplete table: %s is NULL", table_gap(t));
        why = msg;
    } else if (link_ops_check(t, path, err, errlen) != 0) {
        /* Its parameter table would be bound into memory: refuse it whole. */
        dlclose(h);
        return NULL;
    }
    if (why) {
        snprintf(err, errlen, "link plug-in '%s': %s", path, why);
        dlclose(h);
        return NULL;
    }
    *handle = h;
    return t;
}

void link_plugin_close(void *handle)
{
    if (handle) dlclose(handle);
}
