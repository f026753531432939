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

/* 1 for the bytes that stand for themselves in a JSON string: printable ASCII but `"` and `\\`. */
static unsigned char plain[256];

static void init_plain(void) {
  int c;
  for (c = 0x20; c < 0x7f; c++) plain[c] = c != '"' && c != '\\';
}

int tsc_buf_json(struct tsc_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run, len;
  char *o;

  if (!plain['a']) init_plain();
  /* At most 6 bytes out per byte in (\u00XX, or \ufffd for a stray byte): one reservation, no checks after. */
  if (n > ((size_t)-1 - 8) / 6) {
    errno = ENOMEM;
    return -1;
  }
  if (reserve(b, n * 6 + 2) < 0) return -1;
  o = b->data + b->len;
  *o++ = '"';
  while (i < n) {
    unsigned char c;
    /* Plain printable ASCII, the common case, goes in whole runs. */
    for (run = i; run < n && plain[p[run]]; run++) {
    }
    memcpy(o, s + i, run - i);
    o += run - i;
    if ((i = run) >= n) break;
    c = p[i];
    if (c == '"' || c == '\\') {
      *o++ = '\\', *o++ = (char)c, i++;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      *o++ = '\\', *o++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r', i++;
    } else if (c < 0x20 || c == 0x7f) {
      memcpy(o, "\\u00", 4), o[4] = hex[c >> 4], o[5] = hex[c & 15], o += 6, i++;
    } else if ((len = utf8_len(p + i, n - i)) == 0) {
      memcpy(o, "\\ufffd", 6), o += 6, i++;
    } else {
      memcpy(o, s + i, len), o += len, i += len;
    }
  }
  *o++ = '"';
  b->len = (size_t)(o - b->data);
  b->data[b->len] = '\0';
  return 0;
}

int tsc_buf_jsons(struct tsc_buf *b, const char *s) { return tsc_buf_json(b, s, strlen(s)); }

void tsc_buf_reset(struct tsc_buf *b) {
  b->len = 0;
  if (b->data != NULL) b->data[0] = '\0';
}
