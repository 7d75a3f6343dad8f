/* The verbs of the mcusim command line (DESIGN.md "Command line").
 * Each returns the process exit code: 0 success, 1 simulation failure,
 * 2 bad usage or bad config. */
#ifndef MCUSIM_COMMANDS_H
#define MCUSIM_COMMANDS_H

#include <stdbool.h>

int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_links(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_explore(int argc, char **argv);

/* `mcusim merge` of exploration folders (those with an explore.json). */
bool explore_is_folder(const char *dir);
int explore_merge(int argc, char **argv);

/* cmd_sweep with the command line its provenance.json records (reproduce
 * runs every experiment through it and records its own). */
int sweep_command(int argc, char **argv, const char *command_line);

#endif
