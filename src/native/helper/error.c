#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int vfail(struct tsc_error *err, int errnum, int append, const char *step, const char *fmt, va_list ap) {
  int n;

  err->errnum = errnum;
  snprintf(err->step, sizeof err->step, "%s", step);
  n = vsnprintf(err->message, sizeof err->message, fmt, ap);
  if (n < 0) n = 0;
  if (append && errnum != 0 && (size_t)n < sizeof err->message)
    snprintf(err->message + n, sizeof err->message - (size_t)n, ": %s", strerror(errnum));
  return -1;
}

int tsc_fail(struct tsc_error *err, int errnum, const char *step, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(err, errnum, 1, step, fmt, ap);
  va_end(ap);
  return -1;
}

int tsc_fail_msg(struct tsc_error *err, int errnum, const char *step, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(err, errnum, 0, step, fmt, ap);
  va_end(ap);
  return -1;
}

const char *tsc_errno_name(int errnum) {
  /* strerrorname_np (glibc 2.32) gives "EPERM" and friends. */
  const char *name = strerrorname_np(errnum);
  return name != NULL ? name : "E?";
}
