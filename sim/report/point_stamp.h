/* The provenance stamp of one simulated point: which point of the plan it
 * is, the SHA-256 of its fully resolved configuration, the mcusim version
 * and the mode that produced it. A point is reused (--resume) or joined
 * (merge) only when its whole stamp equals the one its plan expects. */
#ifndef MCUSIM_POINT_STAMP_H
#define MCUSIM_POINT_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../experiment/experiment.h"
#include "../flow/run_stats.h"
#include "sha256.h"

/* struct point_stamp itself is in run_stats.h, which carries one. */
_Static_assert(sizeof(((point_stamp *)0)->config_sha256) == SHA256_HEX_LEN + 1,
               "a stamp holds a SHA-256 in hex");

/* "timing-only", "functional" or "functional+check" (check implies functional). */
const char *stamp_mode(bool functional, bool check);

/* The version stamped into points and provenance (the project version). */
const char *stamp_version(void);

/* The resolved configuration as `mcusim validate` prints it, without its
 * first line (which names the file it was read from: the same configuration
 * read from another folder or machine is the same configuration). malloc'd,
 * NUL-terminated; NULL when out of memory. */
char *stamp_config_text(const experiment *e, size_t *len);

/* The resolved configuration of one point: e is the experiment after --set
 * and the point's --sweep assignments, printed with sweep.chips = [chips],
 * i.e. exactly what `mcusim validate` prints with those --set values and
 * --set "sweep.chips=[chips]", without its first line. malloc'd. */
char *stamp_point_text(const experiment *e, uint32_t chips, size_t *len);

/* The stamp of one point: the SHA-256 of stamp_point_text, the id, the
 * version and the mode. -1 when out of memory. */
int stamp_point(const experiment *e, uint32_t chips, const char *id, const char *mode,
                point_stamp *out);

/* 0 when equal; else -1 and a reason naming what differs (version, mode,
 * configuration, point id) or that `have` carries no stamp at all. */
int stamp_compare(const point_stamp *have, const point_stamp *want, char *why, size_t cap);

#endif
