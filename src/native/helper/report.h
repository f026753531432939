/* What the monitor tells the launching helper: the container started, or which step failed. */
#ifndef TSC_REPORT_H
#define TSC_REPORT_H

#include <sys/types.h>

#include "error.h"

struct tsc_report {
  int ok;
  struct tsc_error error;
  pid_t pid, monitor_pid;
  unsigned long long start_time, monitor_start_time;
};

/* Prints the report as the one JSON line of PROTOCOL.md on fd. */
int tsc_report_print(const struct tsc_report *report, int fd);

#endif
