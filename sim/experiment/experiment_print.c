/* The resolved experiment as YAML (what `mcusim validate` prints): every
 * default filled in, quantities in readable units, docs as comments. The
 * output is itself a loadable experiment apart from the link plug-in path. */
#include <inttypes.h>
#include <math.h>

#include "experiment.h"

static void print_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_link(const experiment *e, FILE *out)
{
    fprintf(out, "  link:\n");
    if (e->link_plugin)
        fprintf(out, "    plugin: %s  # %s\n", e->link_plugin_path, e->link_ops->name);
    else
        fprintf(out, "    model: %s  # %s\n", e->link_ops->name,
                e->link_ops->description ? e->link_ops->description : "");
    cfg_print_bound(out, 4, e->link_ops->params, e->link_ops->n_params, e->link_params);
}

static void print_reference(const experiment *e, FILE *out)
{
    if (!e->reference_citation[0] && e->n_reference == 0) return;
    fprintf(out, "reference:  # published figures, shown beside the simulated ones\n");
    if (e->reference_citation[0]) {
        fprintf(out, "  citation: ");
        print_quoted(out, e->reference_citation);
        fputc('\n', out);
    }
    if (e->n_reference == 0) return;
    fprintf(out, "  rows:\n");
    for (size_t i = 0; i < e->n_reference; i++) {
        const reference_row *r = &e->reference[i];
        fprintf(out, "    - {chips: %" PRIu64, r->chips);
        for (size_t k = 0; k < r->n; k++)
            fprintf(out, ", %s: %.10g", r->v[k].metric, r->v[k].value);
        fprintf(out, "}\n");
    }
}

void experiment_print_resolved(const experiment *e, FILE *out)
{
    fprintf(out, "# resolved from %s\n", e->path);
    fprintf(out, "name: ");
    print_quoted(out, e->name);
    fprintf(out, "\ndescription: ");
    print_quoted(out, e->description);
    fprintf(out, "\nsystem:\n  node:\n    model: %s  # %s\n", e->node_model->name,
            e->node_model->doc);
    cfg_print_bound(out, 4, e->node_model->params, e->node_model->n_params, e->node_params);
    print_link(e, out);
    fprintf(out, "  topology:\n");
    cfg_print_bound(out, 4, topology_param_specs, topology_param_count, &e->topology);
    fprintf(out, "workload:\n");
    cfg_print_bound(out, 2, workload_param_specs, workload_param_count, &e->workload);
    fprintf(out, "  dims:  # resolved: built-in model, then the dims written in the file\n");
    cfg_print_bound(out, 4, model_dims_specs, model_dims_count, &e->workload.dims);
    fprintf(out, "sweep:\n  chips: [");
    for (size_t i = 0; i < e->chips.n; i++)
        fprintf(out, "%s%" PRIu64, i ? ", " : "", e->chips.v[i]);
    fprintf(out, "]\n");
    print_reference(e, out);
}
