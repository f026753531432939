#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

static const int NS_FLAGS[TSC_NS_COUNT] = {CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWCGROUP};

static int join(enum tsc_ns_kind kind, const char *path, struct tsc_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tsc_fail(err, errno, "namespace", "open %s namespace `%s`", tsc_ns_name(kind), path);
  if (setns(fd, NS_FLAGS[kind]) < 0) {
    int e = errno;
    close(fd);
    return tsc_fail(err, e, "namespace", "join %s namespace `%s`", tsc_ns_name(kind), path);
  }
  close(fd);
  return 0;
}

int tsc_ns_pid_for_children(const struct tsc_plan *p, struct tsc_error *err) {
  const struct tsc_ns *ns = &p->ns[TSC_NS_PID];
  if (ns->mode == TSC_NS_PATH) return join(TSC_NS_PID, ns->path, err);
  if (ns->mode == TSC_NS_NEW && unshare(CLONE_NEWPID) < 0) return tsc_fail(err, errno, "namespace", "create pid namespace");
  return 0;
}

int tsc_ns_enter(const struct tsc_plan *p, struct tsc_error *err) {
  int kind, flags = 0;
  /* Joining a mount namespace changes what paths mean: join it last among the joined ones. */
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (kind != TSC_NS_PID && kind != TSC_NS_MOUNT && p->ns[kind].mode == TSC_NS_PATH && join(kind, p->ns[kind].path, err) < 0)
      return -1;
  if (p->ns[TSC_NS_MOUNT].mode == TSC_NS_PATH && join(TSC_NS_MOUNT, p->ns[TSC_NS_MOUNT].path, err) < 0) return -1;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (kind != TSC_NS_PID && p->ns[kind].mode == TSC_NS_NEW) flags |= NS_FLAGS[kind];
  if (flags != 0 && unshare(flags) < 0) return tsc_fail(err, errno, "namespace", "unshare namespaces (flags 0x%x)", flags);
  return 0;
}
