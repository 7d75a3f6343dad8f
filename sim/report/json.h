/* A small JSON reader (DOM) and string escaping for the report writers.
 * Numbers keep their source text so 64-bit counters round-trip exactly. */
#ifndef MCUSIM_REPORT_JSON_H
#define MCUSIM_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum json_type {
    JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT
} json_type;

typedef struct json_value {
    json_type type;
    bool b;
    char *text;                 /* string contents, or a number's literal */
    double number;              /* a number's value (strtod of text) */
    size_t n;                   /* items in an array / members in an object */
    struct json_value *items;
    char **keys;                /* object member names, parallel to items */
} json_value;

/* Parses a whole document; NULL with "line L col C: message" on error. */
json_value *json_parse(const char *text, size_t len, char *err, size_t errlen);
/* Frees a document: only what json_parse returned (its strings go with it). */
void json_free(json_value *v);

/* Member of an object, or NULL when absent / not an object. */
const json_value *json_get(const json_value *obj, const char *key);

/* Typed member access; -1 with a message naming the key on a wrong type. */
int json_get_u64(const json_value *obj, const char *key, uint64_t *out, char *err, size_t errlen);
int json_get_double(const json_value *obj, const char *key, double *out, char *err, size_t errlen);
int json_get_bool(const json_value *obj, const char *key, bool *out, char *err, size_t errlen);
int json_get_string(const json_value *obj, const char *key, char *out, size_t cap, char *err,
                    size_t errlen);

/* Writes s as a quoted JSON string. */
void json_write_string(FILE *out, const char *s);
/* Writes a double so that strtod gives the same value back; null if not finite. */
void json_write_double(FILE *out, double v);

#endif
