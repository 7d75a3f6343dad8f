/* libFuzzer harness for unit_parse and unit_format: every dimension gets the
 * same text. Oracle beyond the sanitizers: an accepted quantity is finite
 * (units.h promises NaN, inf and overflow are rejected) and formats to a
 * string that parses back in the same dimension; a rejected one has a reason. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "units.h"

static void check_one(const char *text, unit_dim dim)
{
    double v = 0;
    char err[256] = "";
    if (unit_parse(text, dim, &v, err, sizeof err) != 0) {
        if (err[0] == '\0') fuzz_die("unit_parse rejected without a reason");
        return;
    }
    if (!isfinite(v)) fuzz_die("unit_parse accepted a non-finite value");
    char buf[128];
    unit_format(v, dim, buf, sizeof buf);
    if (memchr(buf, '\0', sizeof buf) == NULL) fuzz_die("unit_format not NUL-terminated");
    double back = 0;
    if (unit_parse(buf, dim, &back, err, sizeof err) != 0) fuzz_die("unit_format output does not parse back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;   /* quantities are short; long inputs only slow the search */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (int d = 0; d < DIM__COUNT; d++) check_one(text, (unit_dim)d);
    /* A tiny buffer must still yield a terminated, truncated message. */
    double v;
    char small[4];
    if (unit_parse(text, DIM_BYTES, &v, small, sizeof small) != 0 && memchr(small, '\0', sizeof small) == NULL)
        fuzz_die("unit_parse overflowed a small error buffer");
    free(text);
    return 0;
}
