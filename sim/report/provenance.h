/* provenance.json: what produced an output folder (sweep, reproduce per
 * experiment, merge, run --out), written beside its summary files. */
#ifndef MCUSIM_PROVENANCE_H
#define MCUSIM_PROVENANCE_H

#include <stddef.h>

typedef struct provenance_info {
    const char *version;          /* mcusim version */
    const char *git_describe;     /* of the source tree at build time, or "unknown" */
    const char *mode;             /* timing-only | functional | functional+check */
    const char *config_text;      /* resolved configuration (stamp_config_text) */
    const char *config_sha256;    /* its SHA-256 */
    const char *command_line;     /* as typed, shell-quoted */
    const char *const *merged_from;   /* merge: the folders joined; else NULL */
    size_t n_merged_from;
} provenance_info;

/* Writes dir/provenance.json atomically, adding the host name and the date
 * (UTC, ISO-8601). -1 with err set on failure. */
int provenance_write(const char *dir, const provenance_info *p, char *err, size_t errlen);

#endif
