/* Device nodes (mknod, or a bind of the host's node where mknod is refused), symlinks, directories. */
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "inroot.h"

/* Without CAP_MKNOD (e.g. a user namespace) a node can still be had by binding the host's one. */
static int bind_host_node(int parent, const char *name, const struct tsc_step *s, struct tsc_error *err) {
  char target[64];
  int fd = openat(parent, name, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return tsc_fail(err, errno, "device", "create bind target for device `%s`", s->path);
  close(fd);
  if ((fd = openat(parent, name, O_PATH | O_CLOEXEC | O_NOFOLLOW)) < 0)
    return tsc_fail(err, errno, "device", "open `%s`", s->path);
  tsc_fd_path(fd, target, sizeof target);
  if (mount(s->path, target, NULL, MS_BIND, NULL) < 0) {
    close(fd);
    return tsc_fail(err, errno, "device", "bind host device `%s`", s->path);
  }
  close(fd);
  return 0;
}

static int make_node(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  char name[NAME_MAX + 1];
  mode_t type = s->dev_type == 'c' ? S_IFCHR : s->dev_type == 'b' ? S_IFBLK : S_IFIFO;
  int parent = tsc_inroot_parent(rootfd, s->path, name, sizeof name), rc = 0;

  if (parent < 0) return tsc_fail(err, errno, "device", "create the parent of device `%s`", s->path);
  if (mknodat(parent, name, type | (s->mode & 07777), makedev(s->major, s->minor)) < 0 && errno != EEXIST) {
    rc = errno == EPERM && type != S_IFIFO ? bind_host_node(parent, name, s, err)
                                            : tsc_fail(err, errno, "device", "mknod `%s`", s->path);
    close(parent);
    return rc;
  }
  if (fchmodat(parent, name, s->mode & 07777, 0) < 0) rc = tsc_fail(err, errno, "device", "chmod `%s`", s->path);
  else if (fchownat(parent, name, s->uid, s->gid, AT_SYMLINK_NOFOLLOW) < 0) rc = tsc_fail(err, errno, "device", "chown `%s`", s->path);
  close(parent);
  return rc;
}

static int make_symlink(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  char name[NAME_MAX + 1];
  int parent = tsc_inroot_parent(rootfd, s->path, name, sizeof name), rc = 0;
  if (parent < 0) return tsc_fail(err, errno, "symlink", "create the parent of symlink `%s`", s->path);
  if (symlinkat(s->source, parent, name) < 0 && errno != EEXIST)
    rc = tsc_fail(err, errno, "symlink", "symlink `%s` -> `%s`", s->path, s->source);
  close(parent);
  return rc;
}

/* Creates a directory with its mode and owner; one that exists already is left as it is. */
static int make_directory(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  char path[64];
  int fd = tsc_inroot_open(rootfd, s->path, O_PATH | O_DIRECTORY, 0), rc = 0;
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  if ((fd = tsc_inroot_mkdirs(rootfd, s->path, 0755)) < 0)
    return tsc_fail(err, errno, "directory", "create directory `%s`", s->path);
  tsc_fd_path(fd, path, sizeof path);
  if (chmod(path, s->mode & 07777) < 0) rc = tsc_fail(err, errno, "directory", "chmod `%s`", s->path);
  else if (fchownat(fd, "", s->uid, s->gid, AT_EMPTY_PATH) < 0) rc = tsc_fail(err, errno, "directory", "chown `%s`", s->path);
  close(fd);
  return rc;
}

int tsc_devices_make(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  switch (s->kind) {
  case TSC_STEP_DEVICE: return make_node(rootfd, s, err);
  case TSC_STEP_SYMLINK: return make_symlink(rootfd, s, err);
  case TSC_STEP_DIRECTORY: return make_directory(rootfd, s, err);
  default: return tsc_fail(err, EINVAL, "plan", "not a device step");
  }
}
