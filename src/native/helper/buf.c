#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(struct tsc_buf *b, size_t more) {
  size_t cap;
  char *data;

  if (b->len + more + 1 <= b->cap) return 0;
  cap = b->cap ? b->cap : 256;
  while (cap < b->len + more + 1) cap *= 2;
  data = realloc(b->data, cap);
  if (data == NULL) {
    errno = ENOMEM;
    return -1;
  }
  b->data = data;
  b->cap = cap;
  return 0;
}

int tsc_buf_add(struct tsc_buf *b, const char *s, size_t n) {
  if (reserve(b, n) < 0) return -1;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int tsc_buf_adds(struct tsc_buf *b, const char *s) { return tsc_buf_add(b, s, strlen(s)); }

int tsc_buf_addf(struct tsc_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || reserve(b, (size_t)n) < 0) return -1;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return 0;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there are not valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len, i;
  unsigned int cp;

  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) len = 2, cp = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef) len = 3, cp = s[0] & 0x0f;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4) len = 4, cp = s[0] & 0x07;
  else return 0;
  if (len > n) return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) return 0;
  if (cp >= 0xd800 && cp <= 0xdfff) return 0;
  return len;
}

int tsc_buf_json(struct tsc_buf *b, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, len;
  char esc[8];

  if (reserve(b, n + 2) < 0 || tsc_buf_add(b, "\"", 1) < 0) return -1;
  while (i < n) {
    unsigned char c = p[i];
    size_t run = i;
    /* Plain printable ASCII, the common case, goes in whole runs. */
    while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\') run++;
    if (run > i) {
      if (tsc_buf_add(b, s + i, run - i) < 0) return -1;
      i = run;
      continue;
    }
    if (c == '"' || c == '\\') {
      esc[0] = '\\', esc[1] = (char)c;
      if (tsc_buf_add(b, esc, 2) < 0) return -1;
      i++;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      esc[0] = '\\', esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
      if (tsc_buf_add(b, esc, 2) < 0) return -1;
      i++;
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      if (tsc_buf_add(b, esc, 6) < 0) return -1;
      i++;
    } else if ((len = utf8_len(p + i, n - i)) == 0) {
      if (tsc_buf_add(b, "\\ufffd", 6) < 0) return -1;
      i++;
    } else {
      if (tsc_buf_add(b, s + i, len) < 0) return -1;
      i += len;
    }
  }
  return tsc_buf_add(b, "\"", 1);
}

int tsc_buf_jsons(struct tsc_buf *b, const char *s) { return tsc_buf_json(b, s, strlen(s)); }

void tsc_buf_reset(struct tsc_buf *b) {
  b->len = 0;
  if (b->data != NULL) b->data[0] = '\0';
}
