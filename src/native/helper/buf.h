/* A growable byte buffer with JSON string encoding. */
#ifndef TSC_BUF_H
#define TSC_BUF_H

#include <stddef.h>

struct tsc_buf {
  char *data;
  size_t len;
  size_t cap;
};

/* Each returns 0, or -1 with errno ENOMEM. */
int tsc_buf_add(struct tsc_buf *b, const char *s, size_t n);
int tsc_buf_adds(struct tsc_buf *b, const char *s);
int tsc_buf_addf(struct tsc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a quoted JSON string; bytes that are not valid UTF-8 become U+FFFD. */
int tsc_buf_json(struct tsc_buf *b, const char *s, size_t n);
int tsc_buf_jsons(struct tsc_buf *b, const char *s);
void tsc_buf_reset(struct tsc_buf *b);

#endif
