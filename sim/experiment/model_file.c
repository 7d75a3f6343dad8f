/* Loading model files and finding them by name (see model_file.h). */
#include "model_file.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"

/* What a model map binds into: the dims and a name of PARAM_STRING size. */
typedef struct model_map {
    model_dims d;
    char name[PARAM_STRING_MAX];
} model_map;

/* Keys a model may leave out: arch (llama), K/V heads (= n_heads), and the
 * MobileBERT-only sizes. Every other size is required. */
static const char *const optional[] = {"arch", "n_kv_heads", "bottleneck", "n_ffn", NULL};

static bool is_optional(const char *key)
{
    for (size_t i = 0; optional[i]; i++)
        if (strcmp(key, optional[i]) == 0) return true;
    return false;
}

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* A model name names a file and a summary column: a safe, short word. */
static bool name_ok(const char *name)
{
    if (!name[0] || strlen(name) >= sizeof ((model_dims *)0)->name || !strcmp(name, ".") ||
        !strcmp(name, ".."))
        return false;
    for (const char *c = name; *c; c++)
        if (!name_char_ok(*c)) return false;
    return true;
}

/* model_dims_check's "key: message" at that key of the map when written. */
static int rule_fail(const cfg_node *map, const char *path, const char *msg, cfg_error *err)
{
    size_t len = strcspn(msg, ": ");
    const cfg_node *at = map;
    char key[64], full[256];
    snprintf(full, sizeof full, "%s", path);
    if (len > 0 && len < sizeof key && msg[len] == ':') {
        snprintf(key, sizeof key, "%.*s", (int)len, msg);
        const cfg_node *n = cfg_map_get(map, key);
        if (n) at = n;
        snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
        msg += len + 1;
        while (*msg == ' ') msg++;
    }
    return cfg_fail_at(err, at, full, msg);
}

int model_file_map_bind(const cfg_node *map, const char *path, const char *name, model_dims *out,
                        cfg_error *err)
{
    param_spec specs[64];
    size_t n = 0;
    /* Inline (model: custom) the model is called by the name given: the
     * printed dims hold no name, so the printed config reloads alike. */
    if (!path[0])
        specs[n++] = (param_spec){"name", PARAM_STRING, DIM_NONE, offsetof(model_map, name), 0,
                                  0, "", NULL,
                                  "the model's name in reports (default: its file name)"};
    for (size_t i = 0; i < model_dims_count && n < 64; i++, n++) {
        specs[n] = model_dims_specs[i];
        specs[n].offset += offsetof(model_map, d);
        if (!is_optional(specs[n].key)) specs[n].default_text = NULL;
    }
    if (cfg_node_kind(map) != CFG_MAP)
        return cfg_fail_at(err, map, path, "a model is a map of its dimensions (dim, n_layers, ...)");
    model_map m;
    memset(&m, 0, sizeof m);
    if (cfg_bind(map, path, specs, n, NULL, &m, err) != 0) return -1;
    const cfg_node *nn = cfg_map_get(map, "name");
    if (!m.name[0]) snprintf(m.name, sizeof m.name, "%s", name);
    if (!name_ok(m.name)) {
        char full[256], msg[400];
        snprintf(full, sizeof full, "%s%sname", path, path[0] ? "." : "");
        snprintf(msg, sizeof msg,
                 "'%.100s' cannot name a model: 1 to 63 letters, digits, '.', '_' and '-'",
                 m.name);
        return cfg_fail_at(err, nn ? nn : map, full, msg);
    }
    memcpy(m.d.name, m.name, strlen(m.name) + 1);   /* name_ok: it fits */
    if (m.d.n_ffn == 0) m.d.n_ffn = 1;
    if (m.d.n_kv_heads == 0) m.d.n_kv_heads = m.d.n_heads;
    char msg[400];
    if (model_dims_check(&m.d, msg, sizeof msg) != 0) return rule_fail(map, path, msg, err);
    *out = m.d;
    return 0;
}

/* "tinyllama-42m" of ".../tinyllama-42m.yaml". */
static void file_stem(const char *path, char *buf, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && !strcmp(base + n - 5, ".yaml")) n -= 5;
    else if (n > 4 && !strcmp(base + n - 4, ".yml")) n -= 4;
    snprintf(buf, len, "%.*s", (int)n, base);
}

int model_file_load(const char *path, model_dims *out, cfg_error *err)
{
    cfg_node *root = cfg_load_file(path, err);
    if (!root) return -1;
    char stem[PARAM_STRING_MAX];
    file_stem(path, stem, sizeof stem);
    int rc = model_file_map_bind(root, "", stem, out, err);
    cfg_destroy(root);
    return rc;
}

bool model_file_is_path(const char *model)
{
    size_t n = strlen(model);
    return strchr(model, '/') || (n > 5 && !strcmp(model + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(model + n - 4, ".yml"));
}

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

size_t model_file_names(const char *configs_dir, char (*names)[64], size_t cap)
{
    char dir[PATH_MAX];
    if (!configs_dir || snprintf(dir, sizeof dir, "%s/models", configs_dir) >= (int)sizeof dir)
        return 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < cap;) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0 || len - 5 >= 64) continue;
        snprintf(names[n], 64, "%.*s", (int)(len - 5), e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    return n;
}

static int unknown_model(const char *configs_dir, const cfg_node *at, const char *model,
                         cfg_error *err)
{
    char (*names)[64] = calloc(MODEL_NAMES_MAX, sizeof *names);
    const char **ptrs = calloc(MODEL_NAMES_MAX, sizeof *ptrs);
    if (!names || !ptrs) {
        free(names);
        free(ptrs);
        return cfg_fail_at(err, at, "workload.model", "out of memory");
    }
    size_t n = model_file_names(configs_dir, names, MODEL_NAMES_MAX);
    char list[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        ptrs[i] = names[i];
        if (used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     names[i]);
    }
    const char *hint = text_did_you_mean(model, ptrs, n);
    char msg[1000];
    snprintf(msg, sizeof msg,
             "unknown model '%.100s'%s%s%s; models in %.200s/models: %s (or custom, or a model "
             "file PATH.yaml)",
             model, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "",
             configs_dir, n ? list : "none");
    free(names);
    free(ptrs);
    return cfg_fail_at(err, at, "workload.model", msg);
}

/* path relative to the folder of the file `from` (absolute paths as they are). */
static int relative_to(const char *from, const char *rel, char *out, size_t len)
{
    const char *slash = strrchr(from, '/');
    int n = rel[0] == '/' || !slash
                ? snprintf(out, len, "%s", rel)
                : snprintf(out, len, "%.*s/%s", (int)(slash - from), from, rel);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int model_file_resolve(const char *configs_dir, const cfg_node *at, const char *model,
                       model_dims *out, char *file, size_t len, cfg_error *err)
{
    char path[PATH_MAX], msg[PATH_MAX + 200];
    if (model_file_is_path(model)) {
        if (relative_to(cfg_node_file(at), model, path, sizeof path) != 0)
            return cfg_fail_at(err, at, "workload.model", "model file path too long");
    } else if (!name_ok(model)) {
        snprintf(msg, sizeof msg,
                 "'%.100s' is neither a model name (letters, digits, '.', '_', '-') nor a model "
                 "file (PATH.yaml)", model);
        return cfg_fail_at(err, at, "workload.model", msg);
    } else if (!configs_dir) {
        snprintf(msg, sizeof msg,
                 "model '%s': no configs folder to look it up in; give a model file PATH.yaml",
                 model);
        return cfg_fail_at(err, at, "workload.model", msg);
    } else {
        if (snprintf(path, sizeof path, "%s/models/%s.yaml", configs_dir, model) >=
            (int)sizeof path)
            return cfg_fail_at(err, at, "workload.model", "configs folder path too long");
        struct stat st;
        if (stat(path, &st) != 0) return unknown_model(configs_dir, at, model, err);
    }
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) != 0) {
        snprintf(msg, sizeof msg, "cannot open model file '%s': %s", path, strerror(errno));
        return cfg_fail_at(err, at, "workload.model", msg);
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(msg, sizeof msg, "cannot read model file '%s': not a regular file (%s)", path,
                 file_kind_name(st.st_mode));
        return cfg_fail_at(err, at, "workload.model", msg);
    }
    if (strlen(real) >= len) return cfg_fail_at(err, at, "workload.model", "model file path too long");
    snprintf(file, len, "%s", real);
    return model_file_load(path, out, err);
}
