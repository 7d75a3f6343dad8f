/* Reading a whole input file without trusting what sits at its path. A config
 * file, an !include, a plug-in or a point file may be a FIFO, a device or a
 * directory: open() itself blocks on a FIFO that has no writer, so the file
 * is opened non-blocking and its type checked on the descriptor (fstat, no
 * race with a rename between check and read) before a byte is read. */
#ifndef MCUSIM_FILE_READ_H
#define MCUSIM_FILE_READ_H

#include <stddef.h>

/* The whole content of the regular file at path, NUL-terminated (*len
 * excludes the NUL); at most max_bytes are accepted. NULL on failure with a
 * reason in why: the system's ("No such file or directory", "Is a
 * directory"), "not a regular file (a FIFO)" and the like, or "larger than
 * N MiB". */
char *file_read_regular(const char *path, size_t max_bytes, size_t *len, char *why,
                        size_t whylen);

/* `rel` resolved against the folder of the file `from_file` (as a config
 * resolves the paths it writes); an absolute `rel`, or a `from_file` without
 * a folder, gives `rel` itself. malloc'd; NULL when out of memory. */
char *path_relative_to(const char *from_file, const char *rel);

/* "a FIFO", "a character device", "a socket"...: what a non-regular st_mode
 * is, for messages. */
const char *file_kind_name(unsigned mode);

#endif
