/* The exec plan: what `tsc-helper exec` does to run one more process in a running container
 * (PROTOCOL.md, "Exec"). Its process attributes reuse struct tsc_plan, so the same functions set them. */
#ifndef TSC_EXEC_PLAN_H
#define TSC_EXEC_PLAN_H

#include <sys/types.h>

#include "error.h"
#include "plan.h"

#define TSC_EXEC_PLAN_VERSION 1

struct tsc_exec_plan {
  pid_t target_pid;                    /* the container's first process, as the host sees it */
  unsigned long long target_start;     /* its start time: the pid counts only with it */
  const char *ns_path[TSC_NS_COUNT];   /* namespaces to join (NULL: stay in the caller's) */
  int tty;                             /* a pty from the container's devpts */
  int detach;                          /* report once exec'd and leave the process running */
  /* user, groups, capabilities, rlimits, no_new_privs, umask, cwd, env, args and cgroups */
  struct tsc_plan proc;
};

/* Parses the text in place (it must stay alive and be NUL-terminated). */
int tsc_exec_plan_parse(struct tsc_exec_plan *plan, char *text, struct tsc_error *err);
/* Reads the file and parses it. */
int tsc_exec_plan_load(struct tsc_exec_plan *plan, const char *path, struct tsc_error *err);
/* Prints the parsed plan as one JSON object (tests check the TypeScript writer against it). */
int tsc_exec_plan_dump(const struct tsc_exec_plan *plan, int fd);

#endif
