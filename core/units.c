/* Unit parsing and formatting. Each dimension has one table of unit symbols
 * and their factor to SI; the first entries of a table are the ones
 * unit_format prefers, so the printed form reads like the YAML people write. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_def {
    const char *sym;
    double factor;
    int preferred; /* used by unit_format */
} unit_def;

typedef struct dim_def {
    const char *name;
    const char *examples;
    const unit_def *units;
} dim_def;

static const unit_def bytes_units[] = {
    {"GiB", 1073741824.0, 1}, {"MiB", 1048576.0, 1}, {"KiB", 1024.0, 1},
    {"GB", 1e9, 1},           {"MB", 1e6, 1},        {"kB", 1e3, 1},
    {"B", 1.0, 1},            {NULL, 0, 0}};
static const unit_def freq_units[] = {
    {"GHz", 1e9, 1}, {"MHz", 1e6, 1}, {"kHz", 1e3, 1}, {"Hz", 1.0, 1}, {NULL, 0, 0}};
static const unit_def bitrate_units[] = {
    {"Gbps", 1e9, 1},     {"Mbps", 1e6, 1},     {"kbps", 1e3, 1},    {"bps", 1.0, 1},
    {"Gbit/s", 1e9, 0},   {"Mbit/s", 1e6, 0},   {"kbit/s", 1e3, 0},  {"bit/s", 1.0, 0},
    {NULL, 0, 0}};
static const unit_def byterate_units[] = {
    {"GiB/s", 1073741824.0, 1}, {"MiB/s", 1048576.0, 1}, {"KiB/s", 1024.0, 1},
    {"GB/s", 1e9, 1},           {"MB/s", 1e6, 1},        {"kB/s", 1e3, 1},
    {"B/s", 1.0, 1},            {NULL, 0, 0}};
static const unit_def epbit_units[] = {
    {"nJ/bit", 1e-9, 1}, {"pJ/bit", 1e-12, 1}, {"fJ/bit", 1e-15, 1}, {"J/bit", 1.0, 0},
    {NULL, 0, 0}};
static const unit_def epbyte_units[] = {
    {"nJ/B", 1e-9, 1}, {"pJ/B", 1e-12, 1}, {"fJ/B", 1e-15, 1}, {"J/B", 1.0, 0}, {NULL, 0, 0}};
static const unit_def epop_units[] = {
    {"nJ/op", 1e-9, 1},  {"pJ/op", 1e-12, 1},  {"fJ/op", 1e-15, 1},  {"J/op", 1.0, 0},
    {"nJ/MAC", 1e-9, 0}, {"pJ/MAC", 1e-12, 0}, {"fJ/MAC", 1e-15, 0}, {"J/MAC", 1.0, 0},
    {NULL, 0, 0}};
static const unit_def energy_units[] = {
    {"J", 1.0, 1},    {"mJ", 1e-3, 1},  {"uJ", 1e-6, 1}, {"nJ", 1e-9, 1},
    {"pJ", 1e-12, 1}, {"fJ", 1e-15, 1}, {NULL, 0, 0}};
static const unit_def power_units[] = {
    {"W", 1.0, 1}, {"mW", 1e-3, 1}, {"uW", 1e-6, 1}, {"nW", 1e-9, 1}, {NULL, 0, 0}};
static const unit_def voltage_units[] = {{"V", 1.0, 1}, {"mV", 1e-3, 1}, {NULL, 0, 0}};
static const unit_def time_units[] = {
    {"s", 1.0, 1}, {"ms", 1e-3, 1}, {"us", 1e-6, 1}, {"ns", 1e-9, 1}, {"ps", 1e-12, 1},
    {NULL, 0, 0}};
static const unit_def cycle_units[] = {{"cycles", 1.0, 1}, {"cycle", 1.0, 0}, {NULL, 0, 0}};
static const unit_def no_units[] = {{NULL, 0, 0}};

static const dim_def dims[DIM__COUNT] = {
    [DIM_NONE] = {"plain number", "no unit", no_units},
    [DIM_BYTES] = {"size in bytes", "B, KiB, MiB, GiB, kB, MB, GB", bytes_units},
    [DIM_FREQUENCY] = {"frequency", "Hz, kHz, MHz, GHz", freq_units},
    [DIM_BITRATE] = {"bit rate", "bps, kbps, Mbps, Gbps or bit/s, Mbit/s, ...", bitrate_units},
    [DIM_BYTERATE] = {"byte rate", "B/s, kB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s", byterate_units},
    [DIM_ENERGY_PER_BIT] = {"energy per bit", "fJ/bit, pJ/bit, nJ/bit", epbit_units},
    [DIM_ENERGY_PER_BYTE] = {"energy per byte", "fJ/B, pJ/B, nJ/B", epbyte_units},
    [DIM_ENERGY_PER_OP] = {"energy per operation", "fJ/op, pJ/op, nJ/op, pJ/MAC", epop_units},
    [DIM_ENERGY] = {"energy", "fJ, pJ, nJ, uJ, mJ, J", energy_units},
    [DIM_POWER] = {"power", "nW, uW, mW, W", power_units},
    [DIM_VOLTAGE] = {"voltage", "mV, V", voltage_units},
    [DIM_TIME] = {"time", "ps, ns, us, ms, s", time_units},
    [DIM_CYCLES] = {"cycle count", "cycles or a bare number", cycle_units},
};

const char *unit_dim_name(unit_dim dim)
{
    return (dim >= 0 && dim < DIM__COUNT) ? dims[dim].name : "unknown dimension";
}

const char *unit_dim_examples(unit_dim dim)
{
    return (dim >= 0 && dim < DIM__COUNT) ? dims[dim].examples : "";
}

static const unit_def *find_unit(unit_dim dim, const char *sym)
{
    for (const unit_def *u = dims[dim].units; u->sym; u++)
        if (strcmp(u->sym, sym) == 0) return u;
    return NULL;
}

/* Which dimension a misplaced unit belongs to, for a message that says what it is. */
static int dim_of_symbol(const char *sym)
{
    for (int d = 0; d < DIM__COUNT; d++)
        if (find_unit((unit_dim)d, sym)) return d;
    return -1;
}

/* strtod also takes "nan", "inf" and hex floats; config numbers are decimal only. */
static int is_decimal_number_start(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    if (*s == '.') s++;
    return isdigit((unsigned char)*s) && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X'));
}

/* A value must stay finite in every unit of its dimension, or unit_format
 * (used by `mcusim validate`) would print "inf nJ/B", which does not read back
 * (found by tests/fuzz/fuzz_units: "1e301J/B"). */
static int fits_every_unit(double v, unit_dim dim)
{
    if (dim == DIM_NONE || dim == DIM_CYCLES) return 1;
    for (const unit_def *u = dims[dim].units; u->sym; u++)
        if (!isfinite(v / u->factor)) return 0;
    return 1;
}

/* "a size in bytes", "an energy per bit": the article the noun takes. */
static const char *article(const char *noun)
{
    return strchr("aeiou", noun[0]) ? "an" : "a";
}

int unit_parse(const char *text, unit_dim dim, double *value, char *err, size_t errlen)
{
    if (dim < 0 || dim >= DIM__COUNT) {
        snprintf(err, errlen, "internal: bad unit dimension %d", (int)dim);
        return -1;
    }
    const char *s = text ? text : "";
    while (*s == ' ') s++;
    if (!is_decimal_number_start(s)) {
        snprintf(err, errlen, "'%s' is not a number; expected %s %s (%s)", text ? text : "",
                 article(dims[dim].name), dims[dim].name, dims[dim].examples);
        return -1;
    }
    char *end = NULL;
    errno = 0;
    double num = strtod(s, &end);
    if (errno == ERANGE && fabs(num) > 1.0) {
        snprintf(err, errlen, "number '%s' is too large", text);
        return -1;
    }
    if (*end == ' ') end++;
    char sym[32];
    size_t len = strlen(end);
    while (len > 0 && (end[len - 1] == ' ' || end[len - 1] == '\t')) len--;
    if (len >= sizeof sym) {
        snprintf(err, errlen, "'%s': unknown unit '%.*s'; expected %s %s (%s)", text, (int)len,
                 end, article(dims[dim].name), dims[dim].name, dims[dim].examples);
        return -1;
    }
    memcpy(sym, end, len);
    sym[len] = '\0';

    double factor = 1.0;
    if (len == 0) {
        if (dim != DIM_NONE && dim != DIM_CYCLES) {
            snprintf(err, errlen, "'%s' has no unit; expected %s %s (%s)", text,
                     article(dims[dim].name), dims[dim].name, dims[dim].examples);
            return -1;
        }
    } else {
        const unit_def *u = find_unit(dim, sym);
        if (!u) {
            int other = dim_of_symbol(sym);
            if (dim == DIM_NONE)
                snprintf(err, errlen, "'%s': expected a plain number without a unit", text);
            else if (other >= 0)
                snprintf(err, errlen, "unit '%s' is %s %s, expected %s %s (%s)", sym,
                         article(dims[other].name), dims[other].name, article(dims[dim].name),
                         dims[dim].name, dims[dim].examples);
            else
                snprintf(err, errlen, "'%s': unknown unit '%s'; expected %s %s (%s)", text, sym,
                         article(dims[dim].name), dims[dim].name, dims[dim].examples);
            return -1;
        }
        factor = u->factor;
    }
    double v = num * factor;
    if (!isfinite(v) || !fits_every_unit(v, dim)) {
        snprintf(err, errlen, "number '%s' is too large", text);
        return -1;
    }
    *value = v;
    return 0;
}

/* True when q printed with %.6g reads back as q (to rounding): the unit shows
 * the value exactly, without a long tail of digits. */
static int prints_exactly(double q)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.6g", q);
    double back = strtod(tmp, NULL);
    return fabs(back - q) <= 1e-9 * fabs(q);
}

void unit_format(double value, unit_dim dim, char *buf, size_t buflen)
{
    if (dim < 0 || dim >= DIM__COUNT || dims[dim].units[0].sym == NULL || !isfinite(value)) {
        snprintf(buf, buflen, "%.10g", value);
        return;
    }
    const unit_def *units = dims[dim].units;
    const unit_def *base = NULL, *fallback = NULL;
    for (const unit_def *u = units; u->sym; u++) {
        if (!u->preferred) continue;
        if (u->factor == 1.0 && !base) base = u;
        if (value == 0.0) continue;
        double q = fabs(value) / u->factor;
        if (q < 1.0 || q >= 1e6) continue;
        if (!fallback) fallback = u;
        if (prints_exactly(value / u->factor)) {
            snprintf(buf, buflen, "%.6g %s", value / u->factor, u->sym);
            return;
        }
    }
    const unit_def *u = fallback ? fallback : (base ? base : &units[0]);
    snprintf(buf, buflen, "%.10g %s", value / u->factor, u->sym);
}
