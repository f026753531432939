/* Error convention (as crun): a fallible function returns a negative int and fills a
 * struct tsc_error with the errno, the step that failed and a message naming its subject. */
#ifndef TSC_ERROR_H
#define TSC_ERROR_H

#include <stddef.h>

#define TSC_STEP_MAX 48
#define TSC_MESSAGE_MAX 900

struct tsc_error {
  int errnum;                    /* errno of the failing call, 0 when not a system error */
  char step[TSC_STEP_MAX];       /* e.g. "mount", "pivot_root", "exec" */
  char message[TSC_MESSAGE_MAX]; /* e.g. "mount `proc` on `/proc`: Operation not permitted" */
};

/* Fills err; when errnum is not 0 appends ": strerror(errnum)". Always returns -1. */
int tsc_fail(struct tsc_error *err, int errnum, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like tsc_fail, but the message is exactly fmt: for errors that are not a failed system call. */
int tsc_fail_msg(struct tsc_error *err, int errnum, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The symbolic name of an errno value ("EPERM"), or "E?" when unknown. */
const char *tsc_errno_name(int errnum);

#endif
