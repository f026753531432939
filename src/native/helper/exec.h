/* `tsc-helper exec`: one more process in a running container, in its namespaces and cgroups, with
 * its user, capabilities, limits and environment (PROTOCOL.md, "Exec"). */
#ifndef TSC_EXEC_H
#define TSC_EXEC_H

#include <stddef.h>
#include <sys/types.h>

#include "exec-plan.h"

/* Result lines go to this descriptor, so stdin, stdout and stderr stay the command's own. */
#define TSC_EXEC_RESULT_FD 3

/* What the parent opened for the child while it still saw the host. */
struct tsc_exec_fds {
  int ns[TSC_NS_COUNT];  /* namespaces to join, -1 for none */
  int *cgroup_procs;     /* cgroup.procs of each cgroup to join */
  size_t ncgroups;
  int stdio;             /* the pty slave (tty), /dev/null (detach), or -1 to keep the caller's stdio */
  int sync;              /* close-on-exec: gets a struct tsc_error if a step fails, EOF once exec succeeds */
};

/* Runs the exec plan at path; returns the helper's exit status (the command's, or 125-127 on failure). */
int tsc_exec_main(const char *plan_path);
/* `tsc-helper exec-plan`: parses the plan and prints it as JSON on stdout. */
int tsc_exec_plan_main(const char *plan_path);

/* In the forked child: joins the cgroups and namespaces, becomes the user and execs; never returns. */
__attribute__((noreturn)) void tsc_exec_child(const struct tsc_exec_plan *plan, const struct tsc_exec_fds *fds);

/* In the parent: forwards signals to the child (window size changes to the pty), relays between
 * stdin/stdout and the pty master when there is one, until the child exits. Returns its wait status. */
int tsc_exec_relay(pid_t child, int sigfd, int master);

#endif
