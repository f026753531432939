#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* "0" names the writing process, whatever pid namespace it is in. */
static int join(const char *dir, struct tsc_error *err) {
  char path[4096];
  ssize_t n;
  int fd, e;

  if ((size_t)snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= sizeof path)
    return tsc_fail_msg(err, ENAMETOOLONG, "cgroup", "join cgroup `%s`: path too long", dir);
  if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "cgroup", "join cgroup `%s`", dir);
  do n = write(fd, "0", 1);
  while (n < 0 && errno == EINTR);
  e = errno;
  close(fd);
  if (n != 1) return tsc_fail(err, n < 0 ? e : EIO, "cgroup", "join cgroup `%s`", dir);
  return 0;
}

int tsc_cgroups_join(const struct tsc_plan *p, struct tsc_error *err) {
  size_t i;
  for (i = 0; i < p->cgroups.len; i++)
    if (join(p->cgroups.items[i], err) < 0) return -1;
  return 0;
}
