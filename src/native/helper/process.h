/* The process attributes set last, just before exec. */
#ifndef TSC_PROCESS_H
#define TSC_PROCESS_H

#include "error.h"
#include "plan.h"

int tsc_process_rlimits(const struct tsc_plan *plan, struct tsc_error *err);
/* Supplementary groups, gid and uid; keeps the permitted capabilities across the uid change. */
int tsc_process_user(const struct tsc_plan *plan, struct tsc_error *err);
/* Unblocks every signal and puts every disposition back to its default. */
int tsc_process_reset_signals(struct tsc_error *err);
/* Looks argv[0] up in the container's PATH and execs it; returns only on failure. */
int tsc_process_exec(const struct tsc_plan *plan, struct tsc_error *err);

#endif
