/* The last steps before exec, the same for a container's first process and for one exec'd into it. */
#ifndef TSC_IDENTITY_H
#define TSC_IDENTITY_H

#include "error.h"
#include "plan.h"

/* rlimits, umask, working directory, bounding set, user and groups, capabilities, no_new_privs: in that order. */
int tsc_identity_apply(const struct tsc_plan *plan, struct tsc_error *err);

#endif
