/* Physical quantities written with units in YAML ("2 MiB", "360 MHz", "10 pJ/bit").
 * Every quantity is stored in SI base units as a double so cost models never
 * convert: bytes, Hz, bit/s, J/bit, J/B, J/op, J, W, V, s. Cycles are a
 * dimension of their own: a cycle count cannot become a time without a clock. */
#ifndef MCUSIM_UNITS_H
#define MCUSIM_UNITS_H

#include <stddef.h>

typedef enum unit_dim {
    DIM_NONE = 0,          /* plain number, no unit allowed */
    DIM_BYTES,             /* B, KiB, MiB, GiB, kB, MB, GB */
    DIM_FREQUENCY,         /* Hz, kHz, MHz, GHz */
    DIM_BITRATE,           /* bps, kbps, Mbps, Gbps (also bit/s forms) */
    DIM_BYTERATE,          /* B/s, kB/s, MB/s, GB/s, KiB/s, MiB/s */
    DIM_ENERGY_PER_BIT,    /* fJ/bit, pJ/bit, nJ/bit */
    DIM_ENERGY_PER_BYTE,   /* fJ/B, pJ/B, nJ/B */
    DIM_ENERGY_PER_OP,     /* fJ/op, pJ/op, nJ/op (also /MAC) */
    DIM_ENERGY,            /* fJ, pJ, nJ, uJ, mJ, J */
    DIM_POWER,             /* uW, mW, W */
    DIM_VOLTAGE,           /* mV, V */
    DIM_TIME,              /* ps, ns, us, ms, s */
    DIM_CYCLES,            /* cycles (a bare number is also accepted) */
    DIM__COUNT
} unit_dim;

/* Parses "<number> <unit>" for the given dimension. Returns 0 and the value in
 * SI base units, or -1 with a one-line reason in err ("unit 'MHz' is a
 * frequency, expected a size in bytes (B, KiB, MiB, GiB)"). A bare number is
 * accepted only for DIM_NONE and DIM_CYCLES. Rejects NaN, inf and overflow. */
int unit_parse(const char *text, unit_dim dim, double *value, char *err, size_t errlen);

/* Writes the value back in the most readable unit of its dimension
 * ("2 MiB", "360 MHz", "5 pJ/bit"); used by `mcusim validate`. */
void unit_format(double value, unit_dim dim, char *buf, size_t buflen);

/* Human name of a dimension and the units it takes, for messages. */
const char *unit_dim_name(unit_dim dim);
const char *unit_dim_examples(unit_dim dim);

#endif
