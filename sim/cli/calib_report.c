/* What `mcusim calibrate` shows: targets against results with their
 * relative errors, fitted values with their bounds (flagging a value that
 * ended at a bound), and the same as JSON for --out. */
#include "calib_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/json.h"
#include "../report/report.h"

void calib_print(FILE *out, const calib_spec *c, const calib_result *r)
{
    fprintf(out, "%s: %zu parameter%s fitted to %zu target%s, %zu evaluations (%zu timing-only runs), "
                 "%s, objective %.4g\n",
            c->name, c->n_params, c->n_params == 1 ? "" : "s", c->n_targets,
            c->n_targets == 1 ? "" : "s", r->evals, r->runs,
            r->converged ? "converged" : "NOT converged", r->objective);
    fprintf(out, "\n  %-24s %6s  %-14s %12s %12s %9s  %s\n", "experiment", "chips", "metric", "target",
            "simulated", "rel.err", "source");
    for (size_t t = 0; t < c->n_targets; t++) {
        const calib_target *tg = &c->targets[t];
        fprintf(out, "  %-24s %6u  %-14s %12.6g %12.6g %+8.3f%%  %s\n", c->exps[tg->exp].e->name,
                tg->chips, tg->metric->name, tg->value, r->sims[t],
                100 * (r->sims[t] / tg->value - 1), tg->source);
    }
    int w = 9, fw = 6;
    for (size_t i = 0; i < c->n_params; i++) {
        if ((int)strlen(c->params[i].ref.key) > w) w = (int)strlen(c->params[i].ref.key);
        if ((int)strlen(r->texts[i]) > fw) fw = (int)strlen(r->texts[i]);
    }
    fprintf(out, "\n  %-*s  %-*s  %-14s %-14s %s\n", w, "parameter", fw, "fitted", "min", "max", "start");
    for (size_t i = 0; i < c->n_params; i++) {
        const calib_param *p = &c->params[i];
        fprintf(out, "  %-*s  %-*s  %-14s %-14s %s\n", w, p->ref.key, fw, r->texts[i], p->min_text,
                p->max_text, p->start_text);
        if (r->at_bound[i])
            fprintf(out, "  %-*s  ^ AT ITS %s BOUND (within %g %%): the targets are not reachable "
                         "inside the physical bounds\n", w, "", r->at_bound[i] < 0 ? "LOWER" : "UPPER",
                    100 * CALIB_AT_BOUND);
    }
}

int calib_write_json(const char *path, const calib_spec *c, const calib_result *r, char *err,
                     size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fputs("{\n  \"calibration\": ", f);
    json_write_string(f, c->path);
    fputs(",\n  \"name\": ", f);
    json_write_string(f, c->name);
    fputs(",\n  \"objective\": ", f);
    json_write_double(f, r->objective);
    fprintf(f, ",\n  \"evaluations\": %zu,\n  \"runs\": %zu,\n  \"converged\": %s,\n", r->evals,
            r->runs, r->converged ? "true" : "false");
    fputs("  \"parameters\": [", f);
    for (size_t i = 0; i < c->n_params; i++) {
        const calib_param *p = &c->params[i];
        fputs(i ? ",\n    {\"key\": " : "\n    {\"key\": ", f);
        json_write_string(f, p->ref.key);
        fputs(", \"value\": ", f);
        json_write_double(f, r->values[i]);
        fputs(", \"text\": ", f);
        json_write_string(f, r->texts[i]);
        fputs(", \"min\": ", f);
        json_write_double(f, p->min);
        fputs(", \"max\": ", f);
        json_write_double(f, p->max);
        fputs(", \"start\": ", f);
        json_write_double(f, p->start);
        fprintf(f, ", \"at_bound\": %s}",
                r->at_bound[i] < 0 ? "\"min\"" : r->at_bound[i] > 0 ? "\"max\"" : "null");
    }
    fputs("\n  ],\n  \"targets\": [", f);
    for (size_t t = 0; t < c->n_targets; t++) {
        const calib_target *tg = &c->targets[t];
        fputs(t ? ",\n    {\"experiment\": " : "\n    {\"experiment\": ", f);
        json_write_string(f, c->exps[tg->exp].e->name);
        fprintf(f, ", \"chips\": %u, \"metric\": ", tg->chips);
        json_write_string(f, tg->metric->name);
        fputs(", \"target\": ", f);
        json_write_double(f, tg->value);
        fputs(", \"simulated\": ", f);
        json_write_double(f, r->sims[t]);
        fputs(", \"rel_error\": ", f);
        json_write_double(f, r->sims[t] / tg->value - 1);
        fputs(", \"ln_error\": ", f);
        json_write_double(f, log(fmax(r->sims[t], CALIB_FLOOR * tg->value) / tg->value));
        fputs(", \"weight\": ", f);
        json_write_double(f, tg->weight);
        fputs(", \"source\": ", f);
        json_write_string(f, tg->source);
        fputc('}', f);
    }
    fputs("\n  ]\n}\n", f);
    int bad = ferror(f);
    fclose(f);
    int rc = -1;
    if (bad) snprintf(err, errlen, "%s: could not format the report", path);
    else rc = report_write_file_atomic(path, buf, len, err, errlen);
    free(buf);
    return rc;
}
