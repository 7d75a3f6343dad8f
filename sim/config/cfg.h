/* The YAML layer: a document tree that remembers where every value came from,
 * so any later check can report FILE:LINE:COL: key.path: message.
 * Resolves `!include PATH` (relative to the including file) and `base: PATH`
 * (the map at PATH, deep-merged under the keys written beside `base`), detects
 * include cycles, and applies `--set key.path=value` overrides. */
#ifndef MCUSIM_CFG_H
#define MCUSIM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../../core/did_you_mean.h"
#include "../../core/param_spec.h"

typedef struct cfg_error {
    char file[512];
    int line, col;          /* 1-based; 0 when unknown */
    char path[256];         /* dotted key path, "" for the document */
    char msg[512];
} cfg_error;

/* Prints "FILE:LINE:COL: key.path: message" on one line. */
void cfg_error_print(const cfg_error *err, FILE *out);
/* Fills err; printf-style message. Returns -1 so callers can `return cfg_fail(...)`. */
int cfg_fail(cfg_error *err, const char *file, int line, int col, const char *path,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

typedef enum cfg_kind { CFG_SCALAR, CFG_MAP, CFG_SEQ, CFG_NULL } cfg_kind;

typedef struct cfg_node cfg_node;   /* opaque */

/* cfg_fail at node n's location (n may be NULL: no location), msg as is. */
int cfg_fail_at(cfg_error *err, const cfg_node *n, const char *path, const char *msg);

/* A model's cross-field rule failed with "key.path: message", key.path
 * relative to section (a node or link map): the error is placed at that
 * key where a file writes it, else at the nearest enclosing map a file
 * writes (the `l2` map for a defaulted l2.reserved), else at the section,
 * and its path is prefix.key.path. A message that does not start with a
 * key is placed at the section, path prefix. Returns -1. */
int cfg_fail_keyed(cfg_error *err, const cfg_node *section, const char *prefix, const char *msg);

/* Loads a file and everything it includes. NULL on error (err filled). */
cfg_node *cfg_load_file(const char *path, cfg_error *err);
/* Parses YAML text held in memory; `name` is used as the file in messages. */
cfg_node *cfg_load_string(const char *text, size_t len, const char *name, cfg_error *err);
void cfg_destroy(cfg_node *root);

/* "a.b.c=value": value parsed as a YAML scalar/flow node; creates missing
 * map keys; location of the override reported as "--set:1:N". A relative
 * `!include PATH` (or `base: PATH`) in the value resolves against the file
 * of root (the experiment), not the working directory. */
int cfg_apply_override(cfg_node *root, const char *assignment, cfg_error *err);

cfg_kind cfg_node_kind(const cfg_node *n);
const char *cfg_node_file(const cfg_node *n);
int cfg_node_line(const cfg_node *n);
int cfg_node_col(const cfg_node *n);
const char *cfg_scalar(const cfg_node *n);            /* NULL unless scalar */
size_t cfg_size(const cfg_node *n);                   /* entries of map or seq */
const cfg_node *cfg_seq_at(const cfg_node *n, size_t i);
const char *cfg_map_key_at(const cfg_node *n, size_t i);
const cfg_node *cfg_map_value_at(const cfg_node *n, size_t i);
const cfg_node *cfg_map_get(const cfg_node *n, const char *key); /* NULL if absent */
/* Where the i-th key of a map was written (for "unknown key" messages). */
const char *cfg_map_key_file(const cfg_node *n, size_t i);
int cfg_map_key_line(const cfg_node *n, size_t i);
int cfg_map_key_col(const cfg_node *n, size_t i);
/* The file a map was built on with `base: PATH` (PATH resolved against the
 * file that wrote it, as it was loaded), or NULL for a map written whole. */
const char *cfg_map_base_file(const cfg_node *n);
/* Follows a dotted path through maps. */
const cfg_node *cfg_get_path(const cfg_node *root, const char *dotted);

/* Binds `section` (a map) to `out` through the spec table. `path` is the
 * dotted prefix of the section for messages ("system.node"). Every spec key
 * is read (or its default applied), every key present must be in the table
 * (did-you-mean on a typo), and keys listed in `extra_keys` (NULL-terminated,
 * may be NULL) are skipped so the caller can handle them. */
int cfg_bind(const cfg_node *section, const char *path, const param_spec *specs,
             size_t n_specs, const char *const *extra_keys, void *out, cfg_error *err);

/* Like cfg_bind, but only keys present in `section` are written into `out`:
 * no defaults, no required keys. Used to overlay a `dims:` block on a
 * built-in model. Unknown keys are still errors. A NULL section is a no-op. */
int cfg_bind_overlay(const cfg_node *section, const char *path, const param_spec *specs,
                     size_t n_specs, const char *const *extra_keys, void *out, cfg_error *err);

/* Length of the leading dotted components keys `a` and `b` share ("l2.size"
 * and "l2.reserved" share "l2."): where printing nested maps can stay in the
 * same map. */
size_t cfg_key_shared_prefix(const char *a, const char *b);

/* Writes the value of parameter s bound in obj as YAML: a quantity in
 * readable units, an enum by name, a string quoted when YAML needs it. */
void cfg_print_value(FILE *out, const param_spec *s, const void *obj);

/* Writes the bound values of `obj` as YAML under the given indentation, each
 * quantity in readable units, with the spec's doc as a trailing comment. */
void cfg_print_bound(FILE *out, int indent, const param_spec *specs, size_t n_specs,
                     const void *obj);

#endif
