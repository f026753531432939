/* Capabilities by name, and applying the five sets with capset(2)/prctl(2) directly. */
#ifndef TSC_CAPS_H
#define TSC_CAPS_H

#include <stdint.h>

#include "error.h"
#include "plan.h"

/* The number of CAP_ constant, or -1 when unknown. */
int tsc_cap_from_name(const char *name);
/* "CAP_CHOWN" for 0, NULL when unknown. */
const char *tsc_cap_name(int cap);

/* Drops every capability not in the plan's bounding set (needs CAP_SETPCAP: call while still root). */
int tsc_caps_drop_bounding(const struct tsc_plan *plan, struct tsc_error *err);
/* Sets effective, permitted and inheritable, then the ambient set. */
int tsc_caps_apply(const struct tsc_plan *plan, struct tsc_error *err);

#endif
