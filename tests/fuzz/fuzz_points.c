/* libFuzzer harness for point-file reading: the input goes through
 * run_stats_read_json (schema) and run_stats_check (ranges, identities,
 * stamp), the two steps point_file_load applies to every point file before
 * resume, merge or a summary may use it.
 *
 * Oracle beyond the sanitizers: a rejection says why; an accepted point is
 * written back with run_stats_write_json, and that text reads back to the
 * same values with the same verdict of run_stats_check (what a summary or
 * a merge rewrites must mean what was read). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "report.h"
#include "run_stats_check.h"

/* Every stored field, by the same table the writer and reader use. */
static void compare(const run_stats *a, const run_stats *b)
{
    char what[128];
    if (run_stats_compare(a, b, what, sizeof what) != 0)
        fuzz_die("a point does not read back as written");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) return 0;   /* point files of up to 64 chips are a few tens of KB */
    run_stats s;
    char err[512] = "";
    if (run_stats_read_json((const char *)data, size, &s, err, sizeof err) != 0) {
        if (!err[0] || !memchr(err, '\0', sizeof err)) fuzz_die("rejected without a reason");
        if (s.per_chip) fuzz_die("a rejected point kept its per_chip array");
        return 0;
    }
    char why[512] = "";
    int valid = run_stats_check(&s, why, sizeof why) == 0;
    if (!valid && !why[0]) fuzz_die("run_stats_check refused without a reason");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) fuzz_die("open_memstream");
    run_stats_write_json(f, &s);
    fclose(f);
    run_stats back;
    if (run_stats_read_json(buf, len, &back, err, sizeof err) != 0) fuzz_die("a written point does not parse");
    compare(&s, &back);
    char why2[512] = "";
    if ((run_stats_check(&back, why2, sizeof why2) == 0) != valid) fuzz_die("the verdict changed on rewrite");
    free(back.per_chip);
    free(buf);
    free(s.per_chip);
    return 0;
}
