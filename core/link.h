/* The link-model interface (plug-in contract, see README "Writing a link
 * model"). A link model is a table of functions plus a name, in the style of a
 * driver table. Built-ins register in link_registry.c; an out-of-tree model is
 * a shared library named in the config (`link: {plugin: ./libmylink.so, ...}`)
 * exporting MCUSIM_LINK_SYMBOL, a function returning its table. */
#ifndef MCUSIM_LINK_H
#define MCUSIM_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "param_spec.h"

#define MCUSIM_LINK_ABI_VERSION 1u
#define MCUSIM_LINK_SYMBOL "mcusim_link_model"

typedef struct link_model link_model;   /* a model's own instance state */

typedef struct link_cost {
    double time_s;          /* from first bit sent to last bit received, incl. set-up */
    double energy_j;        /* both ends of the link */
    uint64_t wire_bytes;    /* payload + headers/encoding actually on the wire */
} link_cost;

typedef struct link_model_ops {
    uint32_t abi_version;            /* MCUSIM_LINK_ABI_VERSION */
    const char *name;                /* "mipi_dphy" */
    const char *description;         /* one line for `mcusim links` */
    const param_spec *params;        /* YAML parameters, bound into a struct of params_size */
    size_t n_params;
    size_t params_size;
    /* Validates bound params (cross-field rules) and builds an instance. */
    int (*create)(const void *params, link_model **out, char *err, size_t errlen);
    /* Time and energy to move `payload_bytes` over one idle link, one direction. */
    link_cost (*transfer)(const link_model *m, uint64_t payload_bytes);
    void (*destroy)(link_model *m);
} link_model_ops;

typedef const link_model_ops *(*link_model_entry_fn)(void);

/* Built-ins, NULL-terminated. */
const link_model_ops *const *link_builtin_models(void);
const link_model_ops *link_find_builtin(const char *name);

/* Loads a plug-in; returns its table and the dlopen handle (close with
 * link_plugin_close after destroying every instance). On failure NULL and a
 * one-line reason: not found, not a shared library, missing symbol, ABI
 * version mismatch, incomplete table. */
const link_model_ops *link_plugin_open(const char *path, void **handle, char *err, size_t errlen);
void link_plugin_close(void *handle);

#endif
