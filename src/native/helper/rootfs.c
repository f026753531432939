#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "io.h"
#include "mounts.h"
#include "overlay.h"

static int propagation(const struct tsc_plan *p, unsigned long *flags, struct tsc_error *err) {
  const char *name = p->rootfs_propagation != NULL ? p->rootfs_propagation : "rprivate";
  if (tsc_mount_propagation(name, flags) < 0)
    return tsc_fail(err, EINVAL, "rootfs", "unknown rootfs propagation `%s`", name);
  return 0;
}

int tsc_rootfs_prepare(const struct tsc_plan *p, struct tsc_error *err) {
  unsigned long prop;
  int fd;

  if (propagation(p, &prop, err) < 0) return -1;
  /* pivot_root refuses shared mounts: start private, share after the pivot if asked. */
  if (prop & MS_SHARED) prop = MS_PRIVATE | (prop & MS_REC);
  if (mount(NULL, "/", NULL, prop | MS_REC, NULL) < 0)
    return tsc_fail(err, errno, "rootfs", "make `/` %s", p->rootfs_propagation ? p->rootfs_propagation : "rprivate");
  if (p->overlay_upper != NULL) {
    if (tsc_overlay_mount(p, err) < 0) return -1;
  } else if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
    return tsc_fail(err, errno, "rootfs", "bind rootfs `%s` on itself", p->rootfs);
  }
  if ((fd = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
    return tsc_fail(err, errno, "rootfs", "open rootfs `%s`", p->rootfs);
  return fd;
}

int tsc_rootfs_pivot(const struct tsc_plan *p, int rootfd, struct tsc_error *err) {
  unsigned long prop;
  if (fchdir(rootfd) < 0) return tsc_fail(err, errno, "pivot_root", "chdir to rootfs `%s`", p->rootfs);
  if (syscall(SYS_pivot_root, ".", ".") < 0) return tsc_fail(err, errno, "pivot_root", "pivot_root to `%s`", p->rootfs);
  /* The old root now sits on top of the new one at "/": keep its unmount from propagating, then detach it. */
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return tsc_fail(err, errno, "pivot_root", "make the old root a slave");
  if (umount2(".", MNT_DETACH) < 0) return tsc_fail(err, errno, "pivot_root", "detach the old root");
  if (chdir("/") < 0) return tsc_fail(err, errno, "pivot_root", "chdir to `/`");
  close(rootfd);
  if (propagation(p, &prop, err) < 0) return -1;
  if ((prop & MS_SHARED) && mount(NULL, "/", NULL, prop, NULL) < 0) return tsc_fail(err, errno, "rootfs", "make `/` shared");
  return 0;
}

static int mask(const char *path, struct tsc_error *err) {
  struct stat st;
  if (stat(path, &st) < 0) return errno == ENOENT ? 0 : tsc_fail(err, errno, "mask", "stat masked path `%s`", path);
  if (S_ISDIR(st.st_mode)) {
    if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0) return tsc_fail(err, errno, "mask", "mask directory `%s`", path);
  } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
    return tsc_fail(err, errno, "mask", "mask file `%s` with /dev/null", path);
  }
  return 0;
}

static int make_readonly(const char *path, struct tsc_error *err) {
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
  if (access(path, F_OK) < 0)
    return errno == ENOENT ? 0 : tsc_fail(err, errno, "readonly", "stat read-only path `%s`", path);
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
    return tsc_fail(err, errno, "readonly", "bind `%s` on itself", path);
  if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof attr) < 0)
    return tsc_fail(err, errno, "readonly", "make `%s` read-only", path);
  return 0;
}

/* One `sysctl` record: the container's /proc is mounted and /proc/sys still writable. */
static int sysctl(const char *key, const char *value, struct tsc_error *err) {
  char path[512];
  int fd, e;
  char *c;

  if ((size_t)snprintf(path, sizeof path, "/proc/sys/%s", key) >= sizeof path)
    return tsc_fail_msg(err, ENAMETOOLONG, "sysctl", "set sysctl `%s`: name too long", key);
  for (c = path + strlen("/proc/sys/"); *c != '\0'; c++)
    if (*c == '.') *c = '/';
  if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) return tsc_fail(err, errno, "sysctl", "set sysctl `%s`", key);
  if (tsc_write_all(fd, value, strlen(value)) < 0) {
    e = errno;
    close(fd);
    return tsc_fail(err, e, "sysctl", "set sysctl `%s` to `%s`", key, value);
  }
  close(fd);
  return 0;
}

int tsc_rootfs_protect(const struct tsc_plan *p, struct tsc_error *err) {
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
  size_t i;
  for (i = 0; i < p->sysctl_keys.len; i++)
    if (sysctl(p->sysctl_keys.items[i], p->sysctl_values.items[i], err) < 0) return -1;
  for (i = 0; i < p->masked.len; i++)
    if (mask(p->masked.items[i], err) < 0) return -1;
  for (i = 0; i < p->readonly.len; i++)
    if (make_readonly(p->readonly.items[i], err) < 0) return -1;
  if (p->readonly_rootfs && mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof attr) < 0)
    return tsc_fail(err, errno, "readonly", "make the rootfs read-only");
  return 0;
}
