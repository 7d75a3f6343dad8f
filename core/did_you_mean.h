/* Near-miss suggestions for messages ("unknown key 'l2.szie' (did you mean
 * 'l2.size'?)"): every layer that rejects a name uses the same rule. */
#ifndef MCUSIM_DID_YOU_MEAN_H
#define MCUSIM_DID_YOU_MEAN_H

#include <stddef.h>

/* Levenshtein distance between two strings (SIZE_MAX when out of memory). */
size_t text_edit_distance(const char *a, const char *b);
/* The closest candidate within edit distance 2, or NULL. NULL candidates are
 * skipped. */
const char *text_did_you_mean(const char *word, const char *const *candidates, size_t n);

#endif
