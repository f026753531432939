#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cgroups.h"
#include "error.h"
#include "identity.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "pty.h"
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

/* Hands the master to the monitor: one byte of data carrying the descriptor (SCM_RIGHTS). */
static int send_master(int sock, int master) {
  char byte = 't', control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {&byte, 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  ssize_t n;
  c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

/*
 * After pivot_root, as root: a pty of the container's own devpts becomes its controlling terminal
 * (setsid was done) and its stdin, stdout and stderr; the master goes to the monitor, which logs what
 * it reads and writes what attached clients send.
 */
static int terminal(const struct tsc_plan *p, const struct tsc_container_io *io, struct tsc_error *err) {
  int master, slave, rc = -1;
  if (!p->terminal) return 0;
  if (tsc_pty_open(&master, &slave, p->has_user ? p->uid : (uid_t)-1, err) < 0) return -1;
  if (p->term_rows != 0) {
    struct winsize ws = {.ws_row = (unsigned short)p->term_rows, .ws_col = (unsigned short)p->term_cols};
    if (ioctl(master, TIOCSWINSZ, &ws) < 0) {
      tsc_fail(err, errno, "tty", "set the window size to %ux%u", p->term_rows, p->term_cols);
      goto out;
    }
  }
  if (ioctl(slave, TIOCSCTTY, 0) < 0) tsc_fail(err, errno, "tty", "make the pty the controlling terminal");
  else if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) tsc_fail(err, errno, "tty", "connect stdin, stdout and stderr to the pty");
  else if (send_master(io->tty_fd, master) < 0) tsc_fail(err, errno, "tty", "send the pty's master to the monitor");
  else rc = 0;
out:
  close(slave);
  close(master);
  close(io->tty_fd);
  return rc;
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
      filesystem(p, &err) == 0 && terminal(p, io, &err) == 0 && identity(p, &err) == 0 && tsc_process_reset_signals(&err) == 0)
    tsc_process_exec(p, &err);
  if (err.step[0] == '\0') tsc_fail(&err, errno, "setsid", "start a new session");
  ignored = write(io->sync_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}
