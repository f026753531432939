/* Process identity and time stamps. */
#ifndef TSC_PROCSTAT_H
#define TSC_PROCSTAT_H

#include <stddef.h>
#include <sys/types.h>

/* Field 22 of /proc/<pid>/stat (clock ticks after boot): with the pid, it names one process for good. */
int tsc_proc_start_time(pid_t pid, unsigned long long *out);
/* The current time as RFC 3339 with nanoseconds, e.g. "2024-05-01T10:00:00.123456789Z". */
void tsc_now_rfc3339(char *out, size_t size);

#endif
