/* The exec'd process, from fork to exec: cgroups, namespaces, terminal, identity, command. */
#include <errno.h>
#include <linux/close_range.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "exec.h"
#include "identity.h"
#include "process.h"

static const int NS_FLAGS[TSC_NS_COUNT] = {CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWCGROUP};

/* Before any namespace: a cgroup namespace would hide the cgroup the process comes from. */
static int join_cgroups(const struct tsc_exec_plan *x, const struct tsc_exec_fds *f, struct tsc_error *err) {
  size_t i;
  ssize_t n;
  for (i = 0; i < f->ncgroups; i++) {
    do n = write(f->cgroup_procs[i], "0", 1);
    while (n < 0 && errno == EINTR);
    if (n != 1) return tsc_fail(err, n < 0 ? errno : EIO, "cgroup", "join cgroup `%s`", x->proc.cgroups.items[i]);
  }
  return 0;
}

/* The pid namespace was joined by the parent (it applies to children); the mount namespace goes last. */
static int join_namespaces(const struct tsc_exec_plan *x, const struct tsc_exec_fds *f, struct tsc_error *err) {
  int kind;
  for (kind = 0; kind < TSC_NS_COUNT; kind++) {
    if (kind == TSC_NS_PID || kind == TSC_NS_MOUNT || f->ns[kind] < 0) continue;
    if (setns(f->ns[kind], NS_FLAGS[kind]) < 0)
      return tsc_fail(err, errno, "namespace", "join %s namespace `%s`", tsc_ns_name(kind), x->ns_path[kind]);
  }
  if (f->ns[TSC_NS_MOUNT] >= 0 && setns(f->ns[TSC_NS_MOUNT], CLONE_NEWNS) < 0)
    return tsc_fail(err, errno, "namespace", "join mount namespace `%s`", x->ns_path[TSC_NS_MOUNT]);
  return 0;
}

static int terminal(const struct tsc_exec_plan *x, const struct tsc_exec_fds *f, struct tsc_error *err) {
  if (setsid() < 0) return tsc_fail(err, errno, "setsid", "start a new session");
  if (f->stdio >= 0) {
    if (x->tty && ioctl(f->stdio, TIOCSCTTY, 0) < 0) return tsc_fail(err, errno, "tty", "make the pty the controlling terminal");
    if (dup2(f->stdio, 0) < 0 || dup2(f->stdio, 1) < 0 || dup2(f->stdio, 2) < 0)
      return tsc_fail(err, errno, "stdio", "connect stdin, stdout and stderr");
  }
  /* Nothing but stdio survives exec; the sync pipe is already close-on-exec. */
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) return tsc_fail(err, errno, "stdio", "mark descriptors close-on-exec");
  return 0;
}

void tsc_exec_child(const struct tsc_exec_plan *x, const struct tsc_exec_fds *f) {
  struct tsc_error err = {0};
  ssize_t ignored;

  if (join_cgroups(x, f, &err) == 0 && join_namespaces(x, f, &err) == 0 && terminal(x, f, &err) == 0 &&
      tsc_identity_apply(&x->proc, &err) == 0 && tsc_process_reset_signals(&err) == 0)
    tsc_process_exec(&x->proc, &err);
  ignored = write(f->sync, &err, sizeof err);
  (void)ignored;
  _exit(127);
}
