/* Mount steps: each destination is resolved inside the rootfs and reached through /proc/self/fd. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"
#include "inroot.h"

struct opt {
  const char *name;
  int clear;
  unsigned long ms;
  unsigned long long attr;
  int propagation;
};

static const struct opt OPTS[] = {
    {"ro", 0, MS_RDONLY, MOUNT_ATTR_RDONLY, 0},          {"rw", 1, MS_RDONLY, MOUNT_ATTR_RDONLY, 0},
    {"nosuid", 0, MS_NOSUID, MOUNT_ATTR_NOSUID, 0},      {"suid", 1, MS_NOSUID, MOUNT_ATTR_NOSUID, 0},
    {"nodev", 0, MS_NODEV, MOUNT_ATTR_NODEV, 0},         {"dev", 1, MS_NODEV, MOUNT_ATTR_NODEV, 0},
    {"noexec", 0, MS_NOEXEC, MOUNT_ATTR_NOEXEC, 0},      {"exec", 1, MS_NOEXEC, MOUNT_ATTR_NOEXEC, 0},
    {"sync", 0, MS_SYNCHRONOUS, 0, 0},                   {"async", 1, MS_SYNCHRONOUS, 0, 0},
    {"dirsync", 0, MS_DIRSYNC, 0, 0},                    {"mand", 0, MS_MANDLOCK, 0, 0},
    {"nomand", 1, MS_MANDLOCK, 0, 0},                    {"noatime", 0, MS_NOATIME, MOUNT_ATTR_NOATIME, 0},
    {"atime", 1, MS_NOATIME, 0, 0},                      {"nodiratime", 0, MS_NODIRATIME, MOUNT_ATTR_NODIRATIME, 0},
    {"diratime", 1, MS_NODIRATIME, MOUNT_ATTR_NODIRATIME, 0}, {"relatime", 0, MS_RELATIME, MOUNT_ATTR_RELATIME, 0},
    {"norelatime", 1, MS_RELATIME, 0, 0},                {"strictatime", 0, MS_STRICTATIME, MOUNT_ATTR_STRICTATIME, 0},
    {"nostrictatime", 1, MS_STRICTATIME, 0, 0},          {"bind", 0, MS_BIND, 0, 0},
    {"rbind", 0, MS_BIND | MS_REC, 0, 0},                {"private", 0, MS_PRIVATE, 0, 1},
    {"rprivate", 0, MS_PRIVATE | MS_REC, 0, 1},          {"shared", 0, MS_SHARED, 0, 1},
    {"rshared", 0, MS_SHARED | MS_REC, 0, 1},            {"slave", 0, MS_SLAVE, 0, 1},
    {"rslave", 0, MS_SLAVE | MS_REC, 0, 1},              {"unbindable", 0, MS_UNBINDABLE, 0, 1},
    {"runbindable", 0, MS_UNBINDABLE | MS_REC, 0, 1},
};

static const struct opt *find_opt(const char *name, size_t len) {
  size_t i;
  for (i = 0; i < sizeof OPTS / sizeof OPTS[0]; i++)
    if (strlen(OPTS[i].name) == len && strncmp(OPTS[i].name, name, len) == 0) return &OPTS[i];
  return NULL;
}

int tsc_mount_propagation(const char *name, unsigned long *flags) {
  const struct opt *o = find_opt(name, strlen(name));
  if (o == NULL || !o->propagation) return -1;
  *flags = o->ms;
  return 0;
}

struct parsed {
  unsigned long ms, propagation;
  struct mount_attr attr;
  int any_attr;
};

static int parse_flags(const struct tsc_step *s, struct parsed *p, struct tsc_error *err) {
  const char *f = s->flags;
  memset(p, 0, sizeof *p);
  while (*f != '\0') {
    size_t len = strcspn(f, ",");
    const struct opt *o = find_opt(f, len);
    if (o == NULL) return tsc_fail(err, EINVAL, "mount", "mount on `%s`: unknown option `%.*s`", s->path, (int)len, f);
    if (o->propagation) p->propagation |= o->ms;
    else if (o->clear) p->ms &= ~o->ms, p->attr.attr_clr |= o->attr, p->any_attr |= o->attr != 0;
    else p->ms |= o->ms, p->attr.attr_set |= o->attr, p->any_attr |= o->attr != 0 || o->ms == MS_RELATIME;
    f += len;
    if (*f == ',') f++;
  }
  if (p->ms & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) p->attr.attr_clr |= MOUNT_ATTR__ATIME;
  return 0;
}

/* Creates the destination: a directory, or an empty file when binding something that is not one. */
static int make_destination(int rootfd, const struct tsc_step *s, int bind, struct tsc_error *err) {
  struct stat st;
  char name[NAME_MAX + 1];
  int fd;

  if (bind && stat(s->source, &st) < 0)
    return tsc_fail(err, errno, "mount", "bind `%s` on `%s`: stat source", s->source, s->path);
  if (!bind || S_ISDIR(st.st_mode)) {
    if ((fd = tsc_inroot_mkdirs(rootfd, s->path, 0755)) < 0)
      return tsc_fail(err, errno, "mount", "create mount point `%s`", s->path);
    close(fd);
    return 0;
  }
  if ((fd = tsc_inroot_parent(rootfd, s->path, name, sizeof name)) < 0)
    return tsc_fail(err, errno, "mount", "create the parent of mount point `%s`", s->path);
  close(fd);
  if ((fd = tsc_inroot_open(rootfd, s->path, O_CREAT | O_WRONLY, 0644)) < 0 && errno != EISDIR)
    return tsc_fail(err, errno, "mount", "create mount point `%s`", s->path);
  if (fd >= 0) close(fd);
  return 0;
}

static int open_target(int rootfd, const struct tsc_step *s, char *path, size_t size, struct tsc_error *err) {
  int fd = tsc_inroot_open(rootfd, s->path, O_PATH, 0);
  if (fd < 0) return tsc_fail(err, errno, "mount", "open mount point `%s`", s->path);
  tsc_fd_path(fd, path, size);
  return fd;
}

static int run_mount(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  struct parsed p;
  char target[64];
  int fd, rc = 0, bind;

  if (parse_flags(s, &p, err) < 0) return -1;
  bind = strcmp(s->type, "bind") == 0 || (p.ms & MS_BIND);
  if (make_destination(rootfd, s, bind, err) < 0 || (fd = open_target(rootfd, s, target, sizeof target, err)) < 0) return -1;
  if (bind) {
    if (mount(s->source, target, NULL, MS_BIND | (p.ms & MS_REC), NULL) < 0)
      rc = tsc_fail(err, errno, "mount", "bind `%s` on `%s`", s->source, s->path);
  } else if (mount(s->source, target, s->type, p.ms, s->data[0] != '\0' ? s->data : NULL) < 0) {
    rc = tsc_fail(err, errno, "mount", "mount `%s` (%s) on `%s`", s->source, s->type, s->path);
  }
  close(fd);
  if (rc < 0 || (!(bind && p.any_attr) && p.propagation == 0)) return rc;
  /* Reopen: the fd above is the directory under the new mount, not the mount itself. */
  if ((fd = open_target(rootfd, s, target, sizeof target, err)) < 0) return -1;
  if (bind && p.any_attr &&
      mount_setattr(fd, "", AT_EMPTY_PATH | ((p.ms & MS_REC) ? AT_RECURSIVE : 0), &p.attr, sizeof p.attr) < 0)
    rc = tsc_fail(err, errno, "mount", "set the options `%s` of bind mount `%s`", s->flags, s->path);
  else if (p.propagation != 0 && mount(NULL, target, NULL, p.propagation, NULL) < 0)
    rc = tsc_fail(err, errno, "mount", "set the propagation of `%s`", s->path);
  close(fd);
  return rc;
}

int tsc_step_run(int rootfd, const struct tsc_step *s, struct tsc_error *err) {
  return s->kind == TSC_STEP_MOUNT ? run_mount(rootfd, s, err) : tsc_devices_make(rootfd, s, err);
}
