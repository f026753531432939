/* tsc-helper exec: the parent. It opens what the child needs while it still sees the host, checks the
 * target is the container's process, forks into the container's pid namespace, reports on fd 3 once the
 * command exec'd, then forwards signals (and relays the pty) until the command exits. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "procstat.h"
#include "pty.h"
#include "report.h"

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

/* 125: the helper failed; 126: the command could not be run; 127: it was not found (as a shell). */
static int failed(struct tsc_error *err) {
  struct tsc_report r = {0};
  r.error = *err;
  tsc_report_print(&r, TSC_EXEC_RESULT_FD);
  if (strcmp(err->step, "exec") == 0) return err->errnum == ENOENT ? 127 : 126;
  return 125;
}

static int open_namespaces(const struct tsc_exec_plan *x, struct tsc_exec_fds *f, struct tsc_error *err) {
  int kind;
  for (kind = 0; kind < TSC_NS_COUNT; kind++) {
    if (x->ns_path[kind] == NULL) continue;
    if ((f->ns[kind] = open(x->ns_path[kind], O_RDONLY | O_CLOEXEC)) < 0)
      return tsc_fail(err, errno, "namespace", "open %s namespace `%s`", tsc_ns_name(kind), x->ns_path[kind]);
  }
  return 0;
}

static int open_cgroups(const struct tsc_exec_plan *x, struct tsc_exec_fds *f, struct tsc_error *err) {
  char path[4096];
  size_t i;
  if (x->proc.cgroups.len == 0) return 0;
  if ((f->cgroup_procs = calloc(x->proc.cgroups.len, sizeof *f->cgroup_procs)) == NULL)
    return tsc_fail(err, ENOMEM, "cgroup", "open cgroups");
  for (i = 0; i < x->proc.cgroups.len; i++, f->ncgroups++) {
    if ((size_t)snprintf(path, sizeof path, "%s/cgroup.procs", x->proc.cgroups.items[i]) >= sizeof path)
      return tsc_fail_msg(err, ENAMETOOLONG, "cgroup", "join cgroup `%s`: path too long", x->proc.cgroups.items[i]);
    if ((f->cgroup_procs[i] = open(path, O_WRONLY | O_CLOEXEC)) < 0)
      return tsc_fail(err, errno, "cgroup", "join cgroup `%s`", x->proc.cgroups.items[i]);
  }
  return 0;
}

/* After the namespaces are open: if the pid was reused since, they would belong to another process. */
static int check_target(const struct tsc_exec_plan *x, struct tsc_error *err) {
  unsigned long long start;
  if (tsc_proc_start_time(x->target_pid, &start) < 0 || start != x->target_start)
    return tsc_fail_msg(err, ESRCH, "target", "the container's process %d is gone", (int)x->target_pid);
  return 0;
}

/* A pty of the container's own devpts: its ptmx is reached from inside its mount namespace. */
static int open_pty(const struct tsc_exec_plan *x, struct tsc_exec_fds *f, int *master, struct tsc_error *err) {
  int own = -1, rc = -1;

  if (f->ns[TSC_NS_MOUNT] >= 0) {
    if ((own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "tty", "open own mount namespace");
    if (setns(f->ns[TSC_NS_MOUNT], CLONE_NEWNS) < 0) {
      tsc_fail(err, errno, "tty", "enter the container's mount namespace");
      goto out;
    }
  }
  if (tsc_pty_open(master, &f->stdio, x->proc.has_user ? x->proc.uid : (uid_t)-1, err) == 0) {
    tsc_pty_copy_winsize(*master);
    rc = 0;
  }
out:
  if (own >= 0) {
    if (setns(own, CLONE_NEWNS) < 0 && rc == 0) rc = tsc_fail(err, errno, "tty", "return to own mount namespace");
    close(own);
  }
  return rc;
}

static int block_signals(struct tsc_error *err) {
  sigset_t set;
  size_t i;
  int fd;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  for (i = 0; i < sizeof FORWARDED / sizeof FORWARDED[0]; i++) sigaddset(&set, FORWARDED[i]);
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || (fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
    return tsc_fail(err, errno, "signals", "set up signal forwarding");
  return fd;
}

static void close_for_child(struct tsc_exec_fds *f) {
  size_t i;
  int kind;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (f->ns[kind] >= 0) close(f->ns[kind]);
  for (i = 0; i < f->ncgroups; i++) close(f->cgroup_procs[i]);
  if (f->stdio >= 0) close(f->stdio);
}

static void print_line(struct tsc_buf *b) {
  ssize_t ignored;
  if (b->data == NULL) return;
  ignored = write(TSC_EXEC_RESULT_FD, b->data, b->len);
  (void)ignored;
}

/* Up to the fork; returns the child's pid, or -1 with err filled. */
static pid_t start(const struct tsc_exec_plan *x, struct tsc_exec_fds *f, int *master, int *sigfd, struct tsc_error *err) {
  int sync[2];
  pid_t child;
  ssize_t n;

  if (open_namespaces(x, f, err) < 0 || open_cgroups(x, f, err) < 0 || check_target(x, err) < 0) return -1;
  if (x->detach && (f->stdio = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "stdio", "open `/dev/null`");
  if (x->tty && !x->detach && open_pty(x, f, master, err) < 0) return -1;
  if (f->ns[TSC_NS_PID] >= 0 && setns(f->ns[TSC_NS_PID], CLONE_NEWPID) < 0)
    return tsc_fail(err, errno, "namespace", "join pid namespace `%s`", x->ns_path[TSC_NS_PID]);
  if ((*sigfd = block_signals(err)) < 0) return -1;
  if (pipe2(sync, O_CLOEXEC) < 0) return tsc_fail(err, errno, "exec", "create the sync pipe");
  if ((child = fork()) < 0) return tsc_fail(err, errno, "exec", "fork into the container");
  if (child == 0) {
    close(sync[0]);
    f->sync = sync[1];
    tsc_exec_child(x, f);
  }
  close(sync[1]);
  close_for_child(f);
  do n = read(sync[0], err, sizeof *err);
  while (n < 0 && errno == EINTR);
  close(sync[0]);
  if (n == 0) return child;
  if (n != (ssize_t)sizeof *err) tsc_fail(err, n < 0 ? errno : EPROTO, "exec", "read the start status of the command");
  while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
  }
  return -1;
}

int tsc_exec_main(const char *plan_path) {
  static struct tsc_exec_plan x;
  struct tsc_exec_fds f = {.stdio = -1, .sync = -1};
  struct tsc_error err = {0};
  struct tsc_buf b = {0};
  unsigned long long start_time = 0;
  int master = -1, sigfd = -1, status, kind;
  pid_t child;

  if (fcntl(TSC_EXEC_RESULT_FD, F_SETFD, FD_CLOEXEC) < 0) {
    fprintf(stderr, "tsc-helper exec: descriptor %d (results) is not open\n", TSC_EXEC_RESULT_FD);
    return 125;
  }
  for (kind = 0; kind < TSC_NS_COUNT; kind++) f.ns[kind] = -1;
  if (tsc_exec_plan_load(&x, plan_path, &err) < 0) return failed(&err);
  if ((child = start(&x, &f, &master, &sigfd, &err)) < 0) return failed(&err);
  tsc_proc_start_time(child, &start_time);
  tsc_buf_addf(&b, "{\"ok\":true,\"pid\":%d,\"startTime\":%llu}\n", (int)child, start_time);
  print_line(&b);
  if (x.detach) return 0;
  status = tsc_exec_relay(child, sigfd, master);
  tsc_buf_reset(&b);
  if (WIFSIGNALED(status)) tsc_buf_addf(&b, "{\"exited\":true,\"exitCode\":null,\"signal\":%d}\n", WTERMSIG(status));
  else tsc_buf_addf(&b, "{\"exited\":true,\"exitCode\":%d,\"signal\":null}\n", WEXITSTATUS(status));
  print_line(&b);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int tsc_exec_plan_main(const char *plan_path) {
  static struct tsc_exec_plan x;
  struct tsc_report r = {0};
  if (tsc_exec_plan_load(&x, plan_path, &r.error) < 0) {
    tsc_report_print(&r, 1);
    return 1;
  }
  return tsc_exec_plan_dump(&x, 1) < 0 ? 1 : 0;
}
