/* The container process: from fork to exec, every step of the plan in order. */
#ifndef TSC_CONTAINER_H
#define TSC_CONTAINER_H

#include "plan.h"

struct tsc_container_io {
  int stdin_fd;  /* /dev/null */
  int stdout_fd; /* write end of the monitor's stdout pipe */
  int stderr_fd; /* write end of the monitor's stderr pipe */
  int sync_fd;   /* close-on-exec: gets a struct tsc_error if a step fails, EOF once exec succeeds */
};

/* Runs the plan and execs; on failure writes the error to sync_fd and exits 127. */
__attribute__((noreturn)) void tsc_container_main(const struct tsc_plan *plan, const struct tsc_container_io *io);

#endif
