/* The resolved experiment as YAML (what `mcusim validate` prints): every
 * default filled in, quantities in readable units, docs as comments. The
 * output is itself a loadable experiment apart from the link plug-in path. */
#include <inttypes.h>
#include <math.h>

#include "../../workloads/partitioner.h"
#include "experiment.h"
#include "experiment_sections.h"

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
    link_choice_print(e->link_ops, e->link_params, e->link_plugin ? e->link_plugin_path : NULL,
                      4, out);
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
    experiment_topology_print(&e->topology, out);
    link_overrides_print(e, out);
    chip_overrides_print(e, out);
    fprintf(out, "workload:\n");
    cfg_print_bound(out, 2, workload_param_specs, workload_param_count, &e->workload);
    const registry_entry *p = partitioner_find(e->workload.partitioner, NULL);
    if (p && p->n_params) {
        /* only the parameters that apply to this model: the others would be
         * refused when the printout is loaded again */
        const partitioner_ops *ops = p->ops;
        param_spec used[64];
        size_t n = 0;
        for (size_t i = 0; i < p->n_params && n < 64; i++)
            if (!ops->param_unused || !ops->param_unused(&e->workload, p->params[i].key))
                used[n++] = p->params[i];
        if (n) {
            fprintf(out, "  partition:  # parameters of the %s partitioner\n", p->name);
            cfg_print_bound(out, 4, used, n, &e->workload.partition);
        } else {
            fprintf(out, "  partition: {}  # none of the %s partitioner's parameters applies to "
                         "this model\n", p->name);
        }
    } else {
        fprintf(out, "  partition: {}  # the %s partitioner takes no parameters\n",
                p ? p->name : e->workload.partitioner);
    }
    fprintf(out, "  dims:  # resolved: the model (%s), then the dims written in the file\n",
            e->workload.dims.name);
    cfg_print_bound(out, 4, model_dims_specs, model_dims_count, &e->workload.dims);
    fprintf(out, "sweep:\n  chips: [");
    for (size_t i = 0; i < e->chips.n; i++)
        fprintf(out, "%s%" PRIu64, i ? ", " : "", e->chips.v[i]);
    fprintf(out, "]\n");
    experiment_vary_print(e, out);
    print_reference(e, out);
}
