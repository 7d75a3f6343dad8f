/* The `tensor` partitioner's parameters (workload.partition with
 * partitioner: tensor), for code and tests that set them directly. */
#ifndef MCUSIM_PARTITION_TENSOR_H
#define MCUSIM_PARTITION_TENSOR_H

#include "workload.h"

/* even (0, the default): FFN columns split evenly whatever the heads, which
 * keeps the FFN phase (every chip works on it) as short as possible.
 * balanced: chips holding fewer heads (none, when there are more chips than
 * heads) take more FFN columns, so every chip holds about the same weight and
 * KV-cache bytes, which can make shares fit L2 at a lower chip count, at the
 * price of a longer FFN phase on the chips that took more. With equal head
 * counts both are the same split. */
typedef enum ffn_split_policy { FFN_SPLIT_EVEN, FFN_SPLIT_BALANCED } ffn_split_policy;

/* equal (0, the default): every chip counts alike. capacity: each chip's
 * share of the work follows its speed and fits its memory where it can
 * (workload_params.capacity; partition_balance.c), heads and FFN columns
 * alike, the columns as ffn_split says (even: the FFN phase by speed on its
 * own; balanced: what each chip holds, heads included). On identical chips
 * capacity is equal. */
typedef enum balance_policy { BALANCE_EQUAL, BALANCE_CAPACITY } balance_policy;

typedef struct tensor_params {
    int ffn_split;   /* ffn_split_policy (llama): how FFN columns go to chips */
    int balance;     /* balance_policy */
} tensor_params;

/* w's partition parameters read as the tensor partitioner's (a zeroed
 * workload holds its defaults). */
static inline tensor_params *tensor_params_of(workload_params *w)
{
    return (tensor_params *)(void *)w->partition.bytes;
}

#endif
