/* What tsc-proxy says: one JSON line on stdout when it listens or cannot, log lines on stderr. */
#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills out with ip in one family (AF_INET or AF_INET6) and port p; -1 when ip is not of that family. */
static int parse_in_family(int family, const char *ip, long p, struct tsc_addr *out) {
  struct sockaddr_in *in = (struct sockaddr_in *)&out->ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;
  void *addr = family == AF_INET ? (void *)&in->sin_addr : (void *)&in6->sin6_addr;
  char text[INET6_ADDRSTRLEN];
  memset(out, 0, sizeof *out);
  if (inet_pton(family, ip, addr) != 1) return -1;
  if (family == AF_INET) {
    in->sin_port = htons((unsigned short)p);
    out->len = sizeof *in;
  } else {
    in6->sin6_port = htons((unsigned short)p);
    out->len = sizeof *in6;
  }
  out->ss.ss_family = (sa_family_t)family;
  inet_ntop(family, addr, text, sizeof text);
  snprintf(out->text, sizeof out->text, family == AF_INET ? "%s:%ld" : "[%s]:%ld", text, p);
  return 0;
}

int tsc_parse_addr(const char *ip, const char *port, struct tsc_addr *out) {
  char *end;
  long p;
  memset(out, 0, sizeof *out);
  errno = 0;
  p = strtol(port, &end, 10);
  if (*port == '\0' || *end != '\0' || errno != 0 || p < 0 || p > 65535) return -1;
  if (parse_in_family(AF_INET, ip, p, out) == 0 || parse_in_family(AF_INET6, ip, p, out) == 0) return 0;
  memset(out, 0, sizeof *out);
  return -1;
}

void tsc_report_port(int port) {
  printf("{\"port\":%d}\n", port);
  fflush(stdout);
}

/* Writes s as a JSON string body (quotes and backslashes escaped, control characters dropped). */
static void json_text(const char *s) {
  for (; *s != '\0'; s++) {
    if (*s == '"' || *s == '\\') putchar('\\');
    if ((unsigned char)*s >= 0x20) putchar(*s);
  }
}

void tsc_report_error(const char *step, int errnum, const char *fmt, ...) {
  char message[512];
  const char *name = errnum != 0 ? strerrorname_np(errnum) : NULL;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  printf("{\"error\":{\"step\":\"");
  json_text(step);
  printf("\",\"errno\":%d,\"errnoName\":\"%s\",\"message\":\"", errnum, name != NULL ? name : (errnum != 0 ? "E?" : ""));
  json_text(message);
  printf("\"}}\n");
  fflush(stdout);
}

void tsc_log(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("tsc-proxy: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}
