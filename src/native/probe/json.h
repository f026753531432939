/* A tiny JSON writer to stdout for the probe's report. */
#ifndef PROBE_JSON_H
#define PROBE_JSON_H

#include <stddef.h>

void json_raw(const char *s);
void json_str(const char *s);
void json_strn(const char *s, size_t n);
/* Writes `"key":` with a comma before it unless it opens an object. */
void json_key(const char *key);
void json_open(char c);  /* '{' or '[' */
void json_close(char c); /* '}' or ']' */
/* Separator before an array element. */
void json_elem(void);
void json_u64(unsigned long long v);
void json_i64(long long v);
void json_flush(void);

#endif
