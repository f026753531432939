/* The exit status file, written atomically (temp name, fsync, rename). */
#ifndef TSC_EXITFILE_H
#define TSC_EXITFILE_H

#include <sys/types.h>

/* status is a wait(2) status, or -1 when the monitor lost track of the container. */
int tsc_exitfile_write(const char *path, pid_t pid, unsigned long long start_time, int status);

#endif
