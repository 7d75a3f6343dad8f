/* Shared runner for the CUnit test executables: each test file defines
 * register_tests() adding its suites, then includes this header's main via
 * CUNIT_MAIN. Exit code is non-zero on any failure so ctest sees it. */
#ifndef MCUSIM_CUNIT_MAIN_H
#define MCUSIM_CUNIT_MAIN_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#define CUNIT_MAIN(register_fn)                                                     \
    int main(void)                                                                  \
    {                                                                               \
        if (CU_initialize_registry() != CUE_SUCCESS) return 2;                      \
        if (register_fn() != 0) { CU_cleanup_registry(); return 2; }               \
        CU_basic_set_mode(CU_BRM_VERBOSE);                                          \
        CU_basic_run_tests();                                                       \
        unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed(); \
        CU_cleanup_registry();                                                      \
        return failed ? 1 : 0;                                                      \
    }

/* Adds a suite and its tests; returns -1 on registry failure. */
#define ADD_SUITE(name, ...)                                                        \
    do {                                                                            \
        CU_pSuite s_ = CU_add_suite(name, NULL, NULL);                              \
        if (!s_) return -1;                                                         \
        struct { const char *n; CU_TestFunc f; } t_[] = {__VA_ARGS__};             \
        for (size_t i_ = 0; i_ < sizeof t_ / sizeof t_[0]; i_++)                    \
            if (!CU_add_test(s_, t_[i_].n, t_[i_].f)) return -1;                    \
    } while (0)
#define TEST(fn) {#fn, fn}

#endif
