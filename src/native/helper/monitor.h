/* The per-container monitor: parent of the container, writer of its log and of its exit status. */
#ifndef TSC_MONITOR_H
#define TSC_MONITOR_H

#include "plan.h"

/* Runs in the detached monitor process: starts the container, writes one struct tsc_report to
 * report_fd (then closes it), logs until the container is gone, writes the exit file, exits. */
__attribute__((noreturn)) void tsc_monitor_main(const struct tsc_plan *plan, int report_fd);

#endif
