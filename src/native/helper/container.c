#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/close_range.h>
#include <unistd.h>

#include "cgroups.h"
#include "error.h"
#include "identity.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "rootfs.h"

static int stdio(const struct tsc_container_io *io, struct tsc_error *err) {
  if (dup2(io->stdin_fd, 0) < 0 || dup2(io->stdout_fd, 1) < 0 || dup2(io->stderr_fd, 2) < 0)
    return tsc_fail(err, errno, "stdio", "connect stdin, stdout and stderr");
  /* Nothing but stdio survives exec; sync_fd is already close-on-exec. */
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) return tsc_fail(err, errno, "stdio", "mark descriptors close-on-exec");
  return 0;
}

static int filesystem(const struct tsc_plan *p, struct tsc_error *err) {
  size_t i;
  int rootfd = tsc_rootfs_prepare(p, err);
  if (rootfd < 0) return -1;
  for (i = 0; i < p->nsteps; i++)
    if (tsc_step_run(rootfd, &p->steps[i], err) < 0) return -1;
  if (tsc_rootfs_pivot(p, rootfd, err) < 0) return -1;
  return tsc_rootfs_protect(p, err);
}

static int identity(const struct tsc_plan *p, struct tsc_error *err) {
  if (p->hostname != NULL && sethostname(p->hostname, strlen(p->hostname)) < 0)
    return tsc_fail(err, errno, "hostname", "set hostname `%s`", p->hostname);
  if (p->domainname != NULL && setdomainname(p->domainname, strlen(p->domainname)) < 0)
    return tsc_fail(err, errno, "hostname", "set domainname `%s`", p->domainname);
  return tsc_identity_apply(p, err);
}

void tsc_container_main(const struct tsc_plan *p, const struct tsc_container_io *io) {
  struct tsc_error err = {0};
  ssize_t ignored;

  /* The cgroups first: every later step (and every byte it allocates) is already counted and limited. */
  if (tsc_cgroups_join(p, &err) == 0 && stdio(io, &err) == 0 && setsid() >= 0 && tsc_ns_enter(p, &err) == 0 &&
      filesystem(p, &err) == 0 && identity(p, &err) == 0 && tsc_process_reset_signals(&err) == 0)
    tsc_process_exec(p, &err);
  if (err.step[0] == '\0') tsc_fail(&err, errno, "setsid", "start a new session");
  ignored = write(io->sync_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}
