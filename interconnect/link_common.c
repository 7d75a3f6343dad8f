/* Shared instance handling and serial-line pricing of the built-in link
 * models (see link_common.h for why it exists and who may use it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_common.h"

/* The instance is the params copy itself: struct link_model stays incomplete
 * here and in the models, which read it back through link_instance_params. */
int link_instance_new(const void *params, size_t size, link_model **out, char *err,
                      size_t errlen)
{
    void *copy = malloc(size);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(copy, params, size);
    *out = copy;
    return 0;
}

const void *link_instance_params(const link_model *m)
{
    return m;
}

void link_instance_free(link_model *m)
{
    free(m);
}

link_cost link_line_cost(uint64_t wire_bytes, double setup_s, double bits_per_s,
                         double energy_per_bit)
{
    link_cost c = {0.0, 0.0, wire_bytes};
    double bits = 8.0 * (double)wire_bytes;
    c.time_s = setup_s + bits / bits_per_s;
    c.energy_j = bits * energy_per_bit;
    return c;
}
