/* The file `mcusim calibrate` produces: a node (or link) overlay that
 * starts with `base: <its base, relative to the overlay>` and sets every
 * fitted key with the exact text that was simulated, plus the keys the
 * calibration's set: overrode (so loading it reproduces the fitted runs).
 * Its comments carry the audit trail: bounds and reason of each value, the
 * targets with their sources, the achieved values and residuals, the
 * calibration file and the command. Nothing in it depends on the date, the
 * host or -j, so a rerun writes the same bytes. Written atomically. */
#ifndef MCUSIM_CALIB_OVERLAY_H
#define MCUSIM_CALIB_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "calib_file.h"
#include "calib_fit.h"

/* The overlay of system.link when `link`, else of system.node. */
int calib_write_overlay(const calib_spec *c, bool link, const calib_result *r, char *err,
                        size_t errlen);

/* Path of the existing `target` relative to the existing folder `from_dir`. */
int calib_relative_path(const char *from_dir, const char *target, char *out, size_t cap);

#endif
