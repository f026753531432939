#include "inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int tsc_inroot_open(int rootfd, const char *path, int flags, mode_t mode) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long fd = syscall(SYS_openat2, rootfd, path[0] == '\0' ? "." : path, &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN) return (int)fd;
  }
}

int tsc_inroot_mkdirs(int rootfd, const char *path, mode_t mode) {
  char buf[PATH_MAX];
  char *p = buf, *end;
  int cur, fd, e;
  size_t len = strlen(path);

  if (len >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, len + 1);
  if ((cur = tsc_inroot_open(rootfd, "/", O_PATH | O_DIRECTORY, 0)) < 0) return -1;
  for (;;) {
    while (*p == '/') p++;
    if (*p == '\0') return cur;
    end = strchr(p, '/');
    if (end != NULL) *end = '\0';
    fd = tsc_inroot_open(rootfd, buf, O_PATH | O_DIRECTORY, 0);
    if (fd < 0 && errno == ENOENT) {
      if (mkdirat(cur, p, mode) < 0 && errno != EEXIST) goto fail;
      fd = tsc_inroot_open(rootfd, buf, O_PATH | O_DIRECTORY, 0);
    }
    if (fd < 0) goto fail;
    close(cur);
    cur = fd;
    if (end == NULL) return cur;
    *end = '/';
    p = end;
  }
fail:
  e = errno;
  close(cur);
  errno = e;
  return -1;
}

int tsc_inroot_parent(int rootfd, const char *path, char *name, size_t size) {
  char dir[PATH_MAX];
  const char *slash;
  size_t len = strlen(path);

  while (len > 1 && path[len - 1] == '/') len--;
  if (len >= sizeof dir) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(dir, path, len);
  dir[len] = '\0';
  slash = strrchr(dir, '/');
  snprintf(name, size, "%s", slash != NULL ? slash + 1 : dir);
  if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    errno = EINVAL;
    return -1;
  }
  if (slash != NULL) dir[slash - dir] = '\0';
  else dir[0] = '\0';
  return tsc_inroot_mkdirs(rootfd, dir, 0755);
}

void tsc_fd_path(int fd, char *out, size_t size) { snprintf(out, size, "/proc/self/fd/%d", fd); }
