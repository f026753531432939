/* Field-level helpers of the plan parser. */
#ifndef TSC_PLAN_FIELDS_H
#define TSC_PLAN_FIELDS_H

#include <sys/resource.h>

#include "plan.h"

int tsc_strv_push(struct tsc_strv *v, const char *item);
/* Parses an unsigned number in the given base; -1 on anything but digits. */
int tsc_parse_u64(const char *s, int base, unsigned long long *out);
/* Parses a decimal limit or "unlimited". */
int tsc_parse_rlim(const char *s, rlim_t *out);
/* RLIMIT_NOFILE and friends by their OCI name; -1 when unknown. */
int tsc_rlimit_from_name(const char *name);
/* Turns the textual `groups` fields into gids. */
int tsc_plan_groups(struct tsc_plan *plan, struct tsc_error *err);

#endif
