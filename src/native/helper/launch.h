/* The launching side: detach a monitor, wait for its report, print it. */
#ifndef TSC_LAUNCH_H
#define TSC_LAUNCH_H

#include "plan.h"

/* Forks the monitor (setsid and a second fork, so it outlives the caller), waits for its report
 * and prints it as one JSON line on stdout. Returns the helper's exit status: 0 started, 1 failed. */
int tsc_launch(const struct tsc_plan *plan);

#endif
