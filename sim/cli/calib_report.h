/* The result of a calibration for people (a table) and for scripts (JSON). */
#ifndef MCUSIM_CALIB_REPORT_H
#define MCUSIM_CALIB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "calib_file.h"
#include "calib_fit.h"

void calib_print(FILE *out, const calib_spec *c, const calib_result *r);

/* --out FILE: parameters (value in SI, text, bounds, at_bound) and targets
 * (target, simulated, relative and ln error, weight, source), atomically. */
int calib_write_json(const char *path, const calib_spec *c, const calib_result *r, char *err,
                     size_t errlen);

#endif
