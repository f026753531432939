#include "json.h"

#include <stdio.h>
#include <string.h>

/* Whether the next member or element is the first of its container. */
static int first = 1;

void json_raw(const char *s) { fputs(s, stdout); }

void json_strn(const char *s, size_t n) {
  size_t i;
  putchar('"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c == '\n') fputs("\\n", stdout);
    else if (c == '\t') fputs("\\t", stdout);
    else if (c < 0x20 || c == 0x7f) printf("\\u%04x", c);
    else if (c >= 0x80) printf("\\u%04x", c); /* the probe reports ASCII worlds; keep output valid JSON */
    else putchar(c);
  }
  putchar('"');
}

void json_str(const char *s) { json_strn(s, strlen(s)); }

void json_key(const char *key) {
  if (!first) putchar(',');
  first = 0;
  json_str(key);
  putchar(':');
}

void json_elem(void) {
  if (!first) putchar(',');
  first = 0;
}

void json_open(char c) {
  putchar(c);
  first = 1;
}

void json_close(char c) {
  putchar(c);
  first = 0;
}

void json_u64(unsigned long long v) { printf("%llu", v); }
void json_i64(long long v) { printf("%lld", v); }
void json_flush(void) {
  putchar('\n');
  fflush(stdout);
}
