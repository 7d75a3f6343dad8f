/* CSV cells shared by every CSV mcusim writes (summary.csv, ops.csv,
 * chips.csv, an exploration's points.csv, sensitivity.csv). */
#ifndef MCUSIM_CSV_H
#define MCUSIM_CSV_H

#include <stdio.h>

/* A text cell (RFC 4180): as is, or quoted with its quotes doubled when it
 * holds a comma, a quote or a line break. */
void csv_write_text(FILE *out, const char *s);

#endif
