/* Facts about this build, for provenance.json. The definition is generated
 * at build time (cmake/build_info.cmake). */
#ifndef MCUSIM_BUILD_INFO_H
#define MCUSIM_BUILD_INFO_H

/* `git describe --always --dirty` of the source tree when it was built, or
 * "unknown" when it was not a git checkout. */
const char *mcusim_git_describe(void);

#endif
