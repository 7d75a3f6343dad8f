/* Output paths given on the command line are checked before anything runs:
 * mcusim writes its files beside the target and renames them over it, which
 * would replace whatever sits at the path, a FIFO or /dev/null included. */
#ifndef MCUSIM_CLI_PATHS_H
#define MCUSIM_CLI_PATHS_H

/* An output file (--trace): an existing regular file or a new name in an
 * existing folder. Otherwise prints "mcusim VERB: OPT 'PATH': reason" and
 * returns 2; 0 when fine. */
int cli_check_output_file(const char *verb, const char *opt, const char *path);

/* An output folder (--out, or the default results/<name>): an existing
 * folder, or a new path whose nearest existing ancestor is a folder (it is
 * created). Same reporting as cli_check_output_file. */
int cli_check_output_dir(const char *verb, const char *opt, const char *path);

#endif
