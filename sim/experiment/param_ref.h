/* The hardware parameters of a loaded experiment, named by their full key
 * ("system.node.hyperram.bandwidth", "system.link.lane_rate") and found
 * through the spec tables the node and link models publish, so a parameter
 * added to a table is seen here without a change. Used by the verbs that
 * vary parameters (calibrate, sensitivity); values go back into a run as
 * `--set key=text`, so they take the same path as a user's override. */
#ifndef MCUSIM_PARAM_REF_H
#define MCUSIM_PARAM_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "experiment.h"

#define PARAM_KEY_MAX 192

typedef struct param_ref {
    char key[PARAM_KEY_MAX];      /* "system.node.l2.size" */
    const param_spec *spec;
    bool link;                    /* system.link (else system.node) */
    size_t index;                 /* position in its table: nodes first, then link */
} param_ref;

/* A number the search can vary: integer, plain number or quantity. */
bool param_ref_spec_is_numeric(const param_spec *s);
/* Values it takes are whole numbers: integers and sizes in bytes. */
bool param_ref_is_integer(const param_ref *r);
/* The unit dimension of its values (DIM_NONE for plain numbers and integers). */
unit_dim param_ref_dim(const param_ref *r);

/* Every parameter of the experiment's node, then of its link, in table
 * order (numeric or not). Returns how many were written (at most cap);
 * param_ref_count gives the total. */
size_t param_ref_list(const experiment *e, param_ref *out, size_t cap);
size_t param_ref_count(const experiment *e);

/* Finds a numeric node or link parameter by its full key. -1 with a message
 * (not a node/link key, unknown with did-you-mean, not numeric). */
int param_ref_find(const experiment *e, const char *key, param_ref *out, char *msg, size_t cap);

/* The bound value as a double (integers converted). */
double param_ref_get(const experiment *e, const param_ref *r);

/* True when v lies in the spec's valid range (always, when it has none). */
bool param_ref_in_range(const param_ref *r, double v);

/* Text of value v as YAML would hold it: integers as integers, plain
 * numbers bare, quantities in `unit` (a symbol of the dimension, or NULL
 * for the most readable one), with `digits` significant digits, or the
 * fewest digits that read back to exactly v when digits is 0. */
void param_ref_value_text(const param_ref *r, double v, const char *unit, int digits, char *buf,
                          size_t cap);

/* Reads such a text back the way the config loader does. -1 with a message. */
int param_ref_value_parse(const param_ref *r, const char *text, double *v, char *msg, size_t cap);

/* The unit symbol written after the number in `text` ("200 MB/s" -> "MB/s"),
 * "" when there is none. */
void param_ref_unit_symbol(const char *text, char *sym, size_t cap);

#endif
