/* A parameter table as `mcusim links` and `mcusim list` show it: each key
 * with its type or unit, range, default (or "required") and doc, printed
 * from the same param_spec tables the loader binds with. */
#ifndef MCUSIM_PARAM_PRINT_H
#define MCUSIM_PARAM_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "../../core/param_spec.h"

/* "    lanes            integer >= 0, range [1, 4], default 4" and its doc
 * on the next line. */
void param_print(FILE *out, const param_spec *s);
/* Every entry of specs, or "    (no parameters)". */
void param_print_table(FILE *out, const param_spec *specs, size_t n);

#endif
