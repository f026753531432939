#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "exitfile.h"
#include "logwriter.h"
#include "namespaces.h"
#include "procstat.h"
#include "report.h"

/* After the container's init is gone, how long to wait for processes that kept its stdout open. */
#define DRAIN_MS 2000

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

struct monitor {
  const struct tsc_plan *plan;
  pid_t pid;
  int status, exited, sigfd;
  struct tsc_log log;
  struct tsc_log_stream out, err;
};

static void send_report(int fd, struct tsc_report *r) {
  ssize_t ignored = write(fd, r, sizeof *r);
  (void)ignored;
  close(fd);
}

static int signals(sigset_t *set) {
  size_t i;
  sigemptyset(set);
  sigaddset(set, SIGCHLD);
  sigaddset(set, SIGRTMIN); /* a kill request: the container gets SIGKILL */
  for (i = 0; i < sizeof FORWARDED / sizeof FORWARDED[0]; i++) sigaddset(set, FORWARDED[i]);
  signal(SIGPIPE, SIG_IGN);
  if (sigprocmask(SIG_BLOCK, set, NULL) < 0) return -1;
  return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void on_signal(struct monitor *m) {
  struct signalfd_siginfo si;
  int status;
  pid_t pid;
  while (read(m->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
    if (si.ssi_signo == SIGCHLD) {
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if (pid == m->pid) m->status = status, m->exited = 1;
    } else if (!m->exited) {
      kill(m->pid, (int)si.ssi_signo == SIGRTMIN ? SIGKILL : (int)si.ssi_signo);
    }
  }
}

static void pump(struct monitor *m, struct tsc_log_stream *s, short revents) {
  if (s->fd < 0 || !(revents & (POLLIN | POLLHUP | POLLERR))) return;
  if (tsc_log_pump(&m->log, s) < 0) {
    close(s->fd);
    s->fd = -1;
  }
}

static void run(struct monitor *m) {
  struct pollfd fds[3];
  int drain_left = DRAIN_MS;
  while (!m->exited || ((m->out.fd >= 0 || m->err.fd >= 0) && drain_left > 0)) {
    int timeout = m->exited ? 100 : -1, n;
    fds[0] = (struct pollfd){m->sigfd, POLLIN, 0};
    fds[1] = (struct pollfd){m->out.fd, POLLIN, 0};
    fds[2] = (struct pollfd){m->err.fd, POLLIN, 0};
    n = poll(fds, 3, timeout);
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && m->exited) drain_left -= timeout;
    if (n <= 0) continue;
    if (fds[0].revents & POLLIN) on_signal(m);
    pump(m, &m->out, fds[1].revents);
    pump(m, &m->err, fds[2].revents);
  }
}

static int start(struct monitor *m, const struct tsc_container_io *io, int sync_rd, struct tsc_report *r) {
  ssize_t n;
  if ((m->pid = fork()) < 0) return tsc_fail(&r->error, errno, "monitor", "fork the container process");
  if (m->pid == 0) tsc_container_main(m->plan, io);
  close(io->stdout_fd), close(io->stderr_fd), close(io->sync_fd);
  do n = read(sync_rd, &r->error, sizeof r->error);
  while (n < 0 && errno == EINTR);
  close(sync_rd);
  if (n != 0) {
    if (n != (ssize_t)sizeof r->error) tsc_fail(&r->error, n < 0 ? errno : EPROTO, "monitor", "read the container's start status");
    waitpid(m->pid, NULL, 0);
    return -1;
  }
  r->pid = m->pid;
  if (tsc_proc_start_time(m->pid, &r->start_time) < 0)
    return tsc_fail(&r->error, errno, "monitor", "read the start time of pid %d", (int)m->pid);
  return 0;
}

void tsc_monitor_main(const struct tsc_plan *plan, int report_fd) {
  struct monitor m = {.plan = plan, .sigfd = -1};
  struct tsc_report r = {0};
  struct tsc_container_io io;
  sigset_t set;
  int out[2], err[2], sync[2], devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

  r.monitor_pid = getpid();
  tsc_proc_start_time(r.monitor_pid, &r.monitor_start_time);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 || chdir("/") < 0) {
    tsc_fail(&r.error, errno, "monitor", "detach from the caller's stdio");
  } else if (tsc_log_open(&m.log, plan->log_path, plan->log_max_size, plan->log_max_files) < 0) {
    tsc_fail(&r.error, errno, "log", "open log file `%s`", plan->log_path);
  } else if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(sync, O_CLOEXEC) < 0) {
    tsc_fail(&r.error, errno, "monitor", "create pipes");
  } else if (tsc_log_stream_init(&m.out, out[0], "stdout") < 0 || tsc_log_stream_init(&m.err, err[0], "stderr") < 0) {
    tsc_fail(&r.error, errno, "log", "set up the log's buffers and pipes");
  } else if ((m.sigfd = signals(&set)) < 0) {
    tsc_fail(&r.error, errno, "monitor", "set up signal handling");
  } else if (tsc_ns_pid_for_children(plan, &r.error) == 0) {
    io = (struct tsc_container_io){devnull, out[1], err[1], sync[1]};
    r.ok = start(&m, &io, sync[0], &r) == 0;
  }
  send_report(report_fd, &r);
  if (!r.ok) _exit(1);
  run(&m);
  tsc_exitfile_write(plan->exit_path, r.pid, r.start_time, m.exited ? m.status : -1);
  _exit(0);
}
