/* tsc-helper: runs a launch plan (see ../PROTOCOL.md). It decides nothing; it does what the plan says.
 *   tsc-helper run <bundle>    start the container of <bundle>/launch.plan under a detached monitor
 *   tsc-helper plan <bundle>   parse the plan and print it as JSON
 *   tsc-helper exec <file>     run one more process in a running container (results on fd 3)
 *   tsc-helper exec-plan <file>  parse an exec plan and print it as JSON */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exec.h"
#include "launch.h"
#include "plan.h"
#include "report.h"

#define TSC_HELPER_VERSION "0.1.0"

static int usage(void) {
  struct tsc_report r = {0};
  tsc_fail_msg(&r.error, EINVAL, "usage", "usage: tsc-helper run|plan <bundle> | version");
  tsc_report_print(&r, 1);
  return 2;
}

int main(int argc, char **argv) {
  struct tsc_report r = {0};
  struct tsc_plan plan;

  if (argc == 2 && strcmp(argv[1], "version") == 0) {
    printf("{\"version\":\"%s\",\"planVersion\":%d}\n", TSC_HELPER_VERSION, TSC_PLAN_VERSION);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "exec") == 0) return tsc_exec_main(argv[2]);
  if (argc == 3 && strcmp(argv[1], "exec-plan") == 0) return tsc_exec_plan_main(argv[2]);
  if (argc != 3 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "plan") != 0)) return usage();
  if (tsc_plan_load(&plan, argv[2], &r.error) < 0) {
    tsc_report_print(&r, 1);
    return 1;
  }
  if (strcmp(argv[1], "plan") == 0) return tsc_plan_dump(&plan, 1) < 0 ? 1 : 0;
  fflush(stdout);
  return tsc_launch(&plan);
}
