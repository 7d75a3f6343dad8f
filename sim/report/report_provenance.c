/* What summary.md and summary.json say about their own rows: which
 * configuration (its hash; the full text is in provenance.json), which
 * version and mode, and whether every planned point is there. A partial
 * summary says so where a reader cannot miss it; points of the plan that
 * are not applicable are listed with why. */
#include <inttypes.h>

#include "json.h"
#include "report_internal.h"

void report_provenance_md(FILE *out, const report_provenance *p, size_t n_rows)
{
    if (!p) return;
    fprintf(out, "Provenance: mcusim %s, %s, config sha256 `%.12s` (the full hash and the "
                 "resolved configuration are in provenance.json).\n\n",
            p->version, p->mode, p->config_sha256);
    if (p->n_missing) {
        fprintf(out, "**Partial:** %zu of %zu planned points; missing:", n_rows, p->planned);
        for (size_t i = 0; i < p->n_missing; i++)
            fprintf(out, "%s `%s`", i ? "," : "", p->missing[i]);
        fputs(".\n\n", out);
    }
    if (p->n_not_applicable) {
        fprintf(out, "Not applicable (not simulated: the partitioner cannot split the chip "
                     "count), %zu point%s:\n\n", p->n_not_applicable,
                p->n_not_applicable == 1 ? "" : "s");
        for (size_t i = 0; i < p->n_not_applicable; i++)
            fprintf(out, "- `%s`\n", p->not_applicable[i]);
        fputc('\n', out);
    }
    if (p->n_left_out) {
        fputs("Point files left out of this summary:\n\n", out);
        for (size_t i = 0; i < p->n_left_out; i++) fprintf(out, "- `%s`\n", p->left_out[i]);
        fputc('\n', out);
    }
}

static void string_array(FILE *out, const char *const *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, v[i]);
    }
    fputc(']', out);
}

void report_provenance_json(FILE *out, const report_provenance *p, size_t n_rows)
{
    if (!p) return;
    fputs(",\n  \"provenance\": {\"mcusim_version\": ", out);
    json_write_string(out, p->version);
    fputs(", \"mode\": ", out);
    json_write_string(out, p->mode);
    fputs(", \"config_sha256\": ", out);
    json_write_string(out, p->config_sha256);
    fprintf(out, ",\n    \"partial\": %s, \"points_planned\": %zu, \"points_present\": %zu",
            p->n_missing ? "true" : "false", p->planned, n_rows);
    fputs(",\n    \"missing\": ", out);
    string_array(out, p->missing, p->n_missing);
    fputs(",\n    \"left_out\": ", out);
    string_array(out, p->left_out, p->n_left_out);
    if (p->n_not_applicable) {
        fputs(",\n    \"not_applicable\": ", out);
        string_array(out, p->not_applicable, p->n_not_applicable);
    }
    fputc('}', out);
}
