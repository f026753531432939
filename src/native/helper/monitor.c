#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach.h"
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
  int has_attach, tty_sock, stdin_wr; /* the attach socket; with a terminal, where its master comes from; the stdin pipe */
  struct tsc_attach attach;
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
  struct pollfd fds[3 + TSC_ATTACH_NFDS];
  int drain_left = DRAIN_MS, attach;
  while (!m->exited || ((m->out.fd >= 0 || m->err.fd >= 0) && drain_left > 0)) {
    int timeout = m->exited ? 100 : -1, n;
    fds[0] = (struct pollfd){m->sigfd, POLLIN, 0};
    fds[1] = (struct pollfd){m->out.fd, POLLIN, 0};
    fds[2] = (struct pollfd){m->err.fd, POLLIN, 0};
    /* Clients are served while the container runs; once it is gone only its output is drained. */
    if ((attach = m->has_attach && !m->exited)) tsc_attach_poll(&m->attach, fds + 3);
    n = poll(fds, attach ? 3 + TSC_ATTACH_NFDS : 3, timeout);
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && m->exited) drain_left -= timeout;
    if (n <= 0) continue;
    if (fds[0].revents & POLLIN) on_signal(m);
    pump(m, &m->out, fds[1].revents);
    pump(m, &m->err, fds[2].revents);
    if (attach && !m->exited) tsc_attach_handle(&m->attach, fds + 3);
  }
}

/* The pty master the container process sent before it exec'd (see container.c). */
static int receive_master(int sock) {
  char byte, control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {&byte, 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
  struct cmsghdr *c;
  int fd;
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n != 1 || (c = CMSG_FIRSTHDR(&msg)) == NULL || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
    if (n >= 0) errno = EPROTO;
    return -1;
  }
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

/* Once the container exec'd: the terminal's master becomes its stdout stream and the clients' input. */
static int connect_terminal(struct monitor *m, struct tsc_report *r) {
  int master = receive_master(m->tty_sock), input;
  close(m->tty_sock);
  m->tty_sock = -1;
  if (master < 0) return tsc_fail(&r->error, errno, "tty", "receive the pty's master from the container");
  if ((input = fcntl(master, F_DUPFD_CLOEXEC, 3)) < 0 || tsc_log_stream_init(&m->out, master, "stdout") < 0 ||
      tsc_attach_set_input(&m->attach, input, 1, 0) < 0)
    return tsc_fail(&r->error, errno, "tty", "set up the pty's master");
  m->out.flush_partial = 1;
  return 0;
}

static int start(struct monitor *m, const struct tsc_container_io *io, int devnull, int sync_rd, struct tsc_report *r) {
  const int child_only[] = {io->stdin_fd, io->stdout_fd, io->stderr_fd, io->sync_fd, io->tty_fd};
  size_t i;
  ssize_t n;
  if ((m->pid = fork()) < 0) return tsc_fail(&r->error, errno, "monitor", "fork the container process");
  if (m->pid == 0) tsc_container_main(m->plan, io);
  for (i = 0; i < sizeof child_only / sizeof child_only[0]; i++)
    if (child_only[i] >= 0 && child_only[i] != devnull) close(child_only[i]);
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
  if (m->stdin_wr >= 0 && tsc_attach_set_input(&m->attach, m->stdin_wr, 0, m->plan->stdin_mode == TSC_STDIN_ONCE) < 0)
    return tsc_fail(&r->error, errno, "monitor", "set up the stdin pipe");
  m->stdin_wr = -1;
  if (m->tty_sock >= 0 && connect_terminal(m, r) < 0) return -1;
  return 0;
}

/*
 * The container's stdio: stdin /dev/null or a pipe whose write end the monitor keeps for clients;
 * stdout and stderr pipes to the log, or, with a terminal, /dev/null until the container process
 * puts its pty there and sends the master back over a socketpair.
 */
static int make_stdio(struct monitor *m, struct tsc_container_io *io, int devnull, struct tsc_report *r) {
  const struct tsc_plan *p = m->plan;
  int in[2], out[2], err[2], tp[2];
  *io = (struct tsc_container_io){devnull, devnull, devnull, -1, -1};
  /* Listening before the report: a client may connect as soon as the launch is known to have worked. */
  if (p->attach_path != NULL && (m->has_attach = 1, tsc_attach_listen(&m->attach, p->attach_path, &r->error) < 0)) return -1;
  if (p->stdin_mode != TSC_STDIN_NULL && !p->terminal) {
    if (pipe2(in, O_CLOEXEC) < 0) return tsc_fail(&r->error, errno, "monitor", "create the stdin pipe");
    io->stdin_fd = in[0], m->stdin_wr = in[1];
  }
  if (p->terminal) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, tp) < 0) return tsc_fail(&r->error, errno, "monitor", "create the pty's socketpair");
    io->tty_fd = tp[1], m->tty_sock = tp[0];
    m->out.fd = m->err.fd = -1;
    return 0;
  }
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) return tsc_fail(&r->error, errno, "monitor", "create pipes");
  io->stdout_fd = out[1], io->stderr_fd = err[1];
  if (tsc_log_stream_init(&m->out, out[0], "stdout") < 0 || tsc_log_stream_init(&m->err, err[0], "stderr") < 0)
    return tsc_fail(&r->error, errno, "log", "set up the log's buffers and pipes");
  return 0;
}

void tsc_monitor_main(const struct tsc_plan *plan, int report_fd) {
  struct monitor m = {.plan = plan, .sigfd = -1, .tty_sock = -1, .stdin_wr = -1};
  struct tsc_report r = {0};
  struct tsc_container_io io;
  sigset_t set;
  int sync[2], devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

  r.monitor_pid = getpid();
  tsc_proc_start_time(r.monitor_pid, &r.monitor_start_time);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 || chdir("/") < 0) {
    tsc_fail(&r.error, errno, "monitor", "detach from the caller's stdio");
  } else if (tsc_log_open(&m.log, plan->log_path, plan->log_max_size, plan->log_max_files) < 0) {
    tsc_fail(&r.error, errno, "log", "open log file `%s`", plan->log_path);
  } else if (make_stdio(&m, &io, devnull, &r) < 0) {
    /* the step is named */
  } else if (pipe2(sync, O_CLOEXEC) < 0) {
    tsc_fail(&r.error, errno, "monitor", "create pipes");
  } else if ((m.sigfd = signals(&set)) < 0) {
    tsc_fail(&r.error, errno, "monitor", "set up signal handling");
  } else if (tsc_ns_pid_for_children(plan, &r.error) == 0) {
    io.sync_fd = sync[1];
    if (!(r.ok = start(&m, &io, devnull, sync[0], &r) == 0) && m.pid > 0 && r.pid != 0) {
      /* It exec'd, but what clients or the log need of it failed: it does not keep running. */
      kill(m.pid, SIGKILL);
      waitpid(m.pid, NULL, 0);
    }
  }
  if (!r.ok && m.has_attach) tsc_attach_close(&m.attach);
  send_report(report_fd, &r);
  if (!r.ok) _exit(1);
  run(&m);
  /* The socket goes before the exit file: whoever sees the exit file finds no socket left. */
  if (m.has_attach) tsc_attach_close(&m.attach);
  tsc_exitfile_write(plan->exit_path, r.pid, r.start_time, m.exited ? m.status : -1);
  _exit(0);
}
