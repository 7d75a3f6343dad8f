#include <stdio.h>

#include "partition_internal.h"

int partition_mobilebert(pbuild *b)
{
    snprintf(b->err, b->errlen, "mobilebert partitioning is not implemented yet");
    return -1;
}
