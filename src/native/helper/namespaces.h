/* Creating and joining namespaces. */
#ifndef TSC_NAMESPACES_H
#define TSC_NAMESPACES_H

#include "error.h"
#include "plan.h"

/* In the monitor, before it forks the container: the pid namespace its next child will be in. */
int tsc_ns_pid_for_children(const struct tsc_plan *plan, struct tsc_error *err);
/* In the container process: joins the namespaces given by path, then unshares the new ones (pid aside). */
int tsc_ns_enter(const struct tsc_plan *plan, struct tsc_error *err);

#endif
