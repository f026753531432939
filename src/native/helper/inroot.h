/* Path resolution confined to a rootfs: symlinks and ".." never lead outside it (openat2 RESOLVE_IN_ROOT). */
#ifndef TSC_INROOT_H
#define TSC_INROOT_H

#include <stddef.h>
#include <sys/types.h>

/* Opens path, taken inside rootfd. Returns an fd, or -1 with errno. */
int tsc_inroot_open(int rootfd, const char *path, int flags, mode_t mode);
/* Creates path and its parents inside rootfd like `mkdir -p`; returns an O_PATH fd of it, or -1 with errno. */
int tsc_inroot_mkdirs(int rootfd, const char *path, mode_t mode);
/* Creates the parents of path; returns an O_PATH fd of the parent and copies the last component to name. */
int tsc_inroot_parent(int rootfd, const char *path, char *name, size_t size);
/* "/proc/self/fd/<fd>", the name by which mount(2) reaches an fd. */
void tsc_fd_path(int fd, char *out, size_t size);

#endif
