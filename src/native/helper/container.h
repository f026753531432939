/* The container process: from fork to exec, every step of the plan in order. */
#ifndef TSC_CONTAINER_H
#define TSC_CONTAINER_H

#include "plan.h"

struct tsc_container_io {
  int stdin_fd;  /* /dev/null, or the read end of the monitor's stdin pipe */
  int stdout_fd; /* write end of the monitor's stdout pipe (/dev/null with a terminal) */
  int stderr_fd; /* write end of the monitor's stderr pipe (/dev/null with a terminal) */
  int sync_fd;   /* close-on-exec: gets a struct tsc_error if a step fails, EOF once exec succeeds */
  int tty_fd;    /* with a terminal: a socket the pty's master is sent over to the monitor; else -1 */
};

/* Runs the plan and execs; on failure writes the error to sync_fd and exits 127. */
__attribute__((noreturn)) void tsc_container_main(const struct tsc_plan *plan, const struct tsc_container_io *io);

#endif
