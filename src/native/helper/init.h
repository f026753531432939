/* The container's init (`init` in the plan): a reaping PID 1 in front of the command, as docker-init. */
#ifndef TSC_INIT_H
#define TSC_INIT_H

#include "error.h"
#include "plan.h"

/* Forks the command (exec'd in the child by `exec_command`) and stays its parent: forwards every
 * signal it can catch to the command, reaps every process that ends in the container, and exits with
 * the command's status (128 + N when signal N ended it). Returns only when it could not start: then
 * in the child when exec failed, or in the caller when the fork failed. */
int tsc_init_run(const struct tsc_plan *plan, int (*exec_command)(const struct tsc_plan *, struct tsc_error *),
                 struct tsc_error *err);

#endif
