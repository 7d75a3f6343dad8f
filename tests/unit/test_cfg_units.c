/* Units: every dimension parses its units to SI, formats back to a string
 * that parses to the same value, and every error path says what it expected. */
#include <math.h>
#include <string.h>

#include "cunit_main.h"
#include "units.h"

static double parse_ok(const char *text, unit_dim dim)
{
    double v = -12345.0;
    char err[256] = "";
    int rc = unit_parse(text, dim, &v, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return v;
}

static void expect_error(const char *text, unit_dim dim, const char *needle)
{
    double v = 0;
    char err[256] = "";
    CU_ASSERT_EQUAL(unit_parse(text, dim, &v, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
}

#define CLOSE(a, b) CU_ASSERT_DOUBLE_EQUAL((a), (b), fabs(b) * 1e-12 + 1e-30)

static void test_every_dimension(void)
{
    CLOSE(parse_ok("2 MiB", DIM_BYTES), 2.0 * 1024 * 1024);
    CLOSE(parse_ok("256KiB", DIM_BYTES), 256.0 * 1024);
    CLOSE(parse_ok("1 GiB", DIM_BYTES), 1024.0 * 1024 * 1024);
    CLOSE(parse_ok("3 kB", DIM_BYTES), 3000.0);
    CLOSE(parse_ok("4 MB", DIM_BYTES), 4e6);
    CLOSE(parse_ok("1 GB", DIM_BYTES), 1e9);
    CLOSE(parse_ok("17 B", DIM_BYTES), 17.0);
    CLOSE(parse_ok("360 MHz", DIM_FREQUENCY), 360e6);
    CLOSE(parse_ok("1 GHz", DIM_FREQUENCY), 1e9);
    CLOSE(parse_ok("32 kHz", DIM_FREQUENCY), 32e3);
    CLOSE(parse_ok("50 Hz", DIM_FREQUENCY), 50.0);
    CLOSE(parse_ok("1.5 Gbps", DIM_BITRATE), 1.5e9);
    CLOSE(parse_ok("1.5 Gbit/s", DIM_BITRATE), 1.5e9);
    CLOSE(parse_ok("100 Mbps", DIM_BITRATE), 100e6);
    CLOSE(parse_ok("9600 bps", DIM_BITRATE), 9600.0);
    CLOSE(parse_ok("8 kbit/s", DIM_BITRATE), 8000.0);
    CLOSE(parse_ok("200 MB/s", DIM_BYTERATE), 200e6);
    CLOSE(parse_ok("1 MiB/s", DIM_BYTERATE), 1048576.0);
    CLOSE(parse_ok("5 B/s", DIM_BYTERATE), 5.0);
    CLOSE(parse_ok("5 pJ/bit", DIM_ENERGY_PER_BIT), 5e-12);
    CLOSE(parse_ok("300 fJ/bit", DIM_ENERGY_PER_BIT), 300e-15);
    CLOSE(parse_ok("1 nJ/bit", DIM_ENERGY_PER_BIT), 1e-9);
    CLOSE(parse_ok("150 pJ/B", DIM_ENERGY_PER_BYTE), 150e-12);
    CLOSE(parse_ok("2 nJ/B", DIM_ENERGY_PER_BYTE), 2e-9);
    CLOSE(parse_ok("0.5 pJ/op", DIM_ENERGY_PER_OP), 0.5e-12);
    CLOSE(parse_ok("0.5 pJ/MAC", DIM_ENERGY_PER_OP), 0.5e-12);
    CLOSE(parse_ok("80 fJ/MAC", DIM_ENERGY_PER_OP), 80e-15);
    CLOSE(parse_ok("490 uJ", DIM_ENERGY), 490e-6);
    CLOSE(parse_ok("3 mJ", DIM_ENERGY), 3e-3);
    CLOSE(parse_ok("7 pJ", DIM_ENERGY), 7e-12);
    CLOSE(parse_ok("2 J", DIM_ENERGY), 2.0);
    CLOSE(parse_ok("167 mW", DIM_POWER), 0.167);
    CLOSE(parse_ok("20 uW", DIM_POWER), 20e-6);
    CLOSE(parse_ok("1 W", DIM_POWER), 1.0);
    CLOSE(parse_ok("0.8 V", DIM_VOLTAGE), 0.8);
    CLOSE(parse_ok("650 mV", DIM_VOLTAGE), 0.65);
    CLOSE(parse_ok("100 ns", DIM_TIME), 100e-9);
    CLOSE(parse_ok("5 ps", DIM_TIME), 5e-12);
    CLOSE(parse_ok("2 us", DIM_TIME), 2e-6);
    CLOSE(parse_ok("3 ms", DIM_TIME), 3e-3);
    CLOSE(parse_ok("1 s", DIM_TIME), 1.0);
    CLOSE(parse_ok("40 cycles", DIM_CYCLES), 40.0);
    CLOSE(parse_ok("40", DIM_CYCLES), 40.0);
    CLOSE(parse_ok("0.25", DIM_NONE), 0.25);
    CLOSE(parse_ok("1e3", DIM_NONE), 1000.0);
    CLOSE(parse_ok("-3", DIM_NONE), -3.0);
}

static void test_errors(void)
{
    expect_error("360 MHz", DIM_BYTES, "is a frequency, expected a size in bytes");
    expect_error("2 MiB", DIM_FREQUENCY, "expected a frequency");
    expect_error("2", DIM_BYTES, "has no unit");
    expect_error("2 Mib", DIM_BYTES, "unknown unit 'Mib'");
    expect_error("nan", DIM_NONE, "not a number");
    expect_error("inf MHz", DIM_FREQUENCY, "not a number");
    expect_error("-inf", DIM_NONE, "not a number");
    expect_error("0x10 B", DIM_BYTES, "not a number");
    expect_error("1e400 B", DIM_BYTES, "too large");
    expect_error("1e308 GiB", DIM_BYTES, "too large");
    expect_error("abc", DIM_TIME, "not a number");
    expect_error("", DIM_TIME, "not a number");
    expect_error("5 pJ/bit extra", DIM_ENERGY_PER_BIT, "unknown unit");
    expect_error("2 MHz", DIM_NONE, "without a unit");
    expect_error("1  MHz", DIM_FREQUENCY, "unknown unit");
    expect_error("4 ms", DIM_CYCLES, "is a time");
}

/* Formatting then parsing gives the value back, for values of every dimension. */
static void test_format_round_trip(void)
{
    static const struct { unit_dim dim; double v; } cases[] = {
        {DIM_BYTES, 2097152.0},      {DIM_BYTES, 200e6},         {DIM_BYTES, 123457.0},
        {DIM_BYTES, 0.0},            {DIM_FREQUENCY, 360e6},     {DIM_BITRATE, 1.5e9},
        {DIM_BYTERATE, 200e6},       {DIM_ENERGY_PER_BIT, 5e-12}, {DIM_ENERGY_PER_BYTE, 1.5e-10},
        {DIM_ENERGY_PER_OP, 8e-14},  {DIM_ENERGY, 4.9e-4},      {DIM_POWER, 0.167},
        {DIM_VOLTAGE, 0.8},          {DIM_TIME, 1e-7},          {DIM_CYCLES, 40.0},
        {DIM_TIME, 1.234567891e-3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        unit_format(cases[i].v, cases[i].dim, buf, sizeof buf);
        double back = parse_ok(buf, cases[i].dim);
        CU_ASSERT_DOUBLE_EQUAL(back, cases[i].v, fabs(cases[i].v) * 1e-9);
    }
}

static void test_format_prefers_readable_unit(void)
{
    char buf[64];
    unit_format(2.0 * 1024 * 1024, DIM_BYTES, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2 MiB");
    unit_format(360e6, DIM_FREQUENCY, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "360 MHz");
    unit_format(200e6, DIM_BYTERATE, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "200 MB/s");
}

static void test_names(void)
{
    for (int d = 0; d < DIM__COUNT; d++) {
        CU_ASSERT_PTR_NOT_NULL(unit_dim_name((unit_dim)d));
        CU_ASSERT_PTR_NOT_NULL(unit_dim_examples((unit_dim)d));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(unit_dim_examples(DIM_BYTES), "MiB"));
}

static int register_tests(void)
{
    ADD_SUITE("units", TEST(test_every_dimension), TEST(test_errors),
              TEST(test_format_round_trip), TEST(test_format_prefers_readable_unit),
              TEST(test_names));
    return 0;
}

CUNIT_MAIN(register_tests)
