/* Placeholder until the engine behind this verb lands; replaced by its owner. */
#include <stdio.h>

#include "commands.h"

int cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mcusim sweep: not built yet\n");
    return 2;
}
