/* Joining the container's cgroups: the first thing the container process does. */
#ifndef TSC_CGROUPS_H
#define TSC_CGROUPS_H

#include "error.h"
#include "plan.h"

/* Writes the calling process into the cgroup.procs of every `cgroup` directory of the plan, in order. */
int tsc_cgroups_join(const struct tsc_plan *plan, struct tsc_error *err);

#endif
