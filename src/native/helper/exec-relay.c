/* The exec parent's loop: signals to the child, window sizes and bytes to and from the pty. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "io.h"
#include "pty.h"

/* After the child exited: how long to wait for pty output still on its way (or held by its children). */
#define DRAIN_MS 100

struct relay {
  pid_t child;
  int sigfd, master, in_open, out_open, exited, status;
};

static void on_signals(struct relay *r) {
  struct signalfd_siginfo si;
  int status;
  while (read(r->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
    if (si.ssi_signo == SIGCHLD) {
      if (!r->exited && waitpid(r->child, &status, WNOHANG) == r->child) r->status = status, r->exited = 1;
    } else if (si.ssi_signo == SIGWINCH) {
      if (r->master >= 0) tsc_pty_copy_winsize(r->master);
    } else if (!r->exited) {
      kill(r->child, (int)si.ssi_signo);
    }
  }
}

/* Returns 0 while the master stays readable, -1 once the pty is gone (EIO when no slave is left). */
static int pump_master(struct relay *r) {
  char buf[16384];
  ssize_t n;
  do n = read(r->master, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return -1;
  /* A reader that went away (EPIPE) no longer gets output; the command still runs to its end. */
  if (r->out_open && tsc_write_all(1, buf, (size_t)n) < 0) r->out_open = 0;
  return 0;
}

static void pump_stdin(struct relay *r) {
  char buf[16384];
  ssize_t n;
  do n = read(0, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0 || tsc_write_all(r->master, buf, (size_t)n) < 0) r->in_open = 0;
}

static void drain(struct relay *r) {
  struct pollfd p = {r->master, POLLIN, 0};
  while (poll(&p, 1, DRAIN_MS) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) && pump_master(r) == 0) {
  }
}

int tsc_exec_relay(pid_t child, int sigfd, int master) {
  struct relay r = {child, sigfd, master, master >= 0, 1, 0, 0};
  struct pollfd fds[3];
  int master_open = master >= 0;

  signal(SIGPIPE, SIG_IGN);
  while (!r.exited) {
    fds[0] = (struct pollfd){sigfd, POLLIN, 0};
    fds[1] = (struct pollfd){r.in_open ? 0 : -1, POLLIN, 0};
    fds[2] = (struct pollfd){master_open ? master : -1, POLLIN, 0};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) on_signals(&r);
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) pump_stdin(&r);
    if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) && pump_master(&r) < 0) master_open = 0;
  }
  if (!r.exited) {
    while (waitpid(child, &r.status, 0) < 0 && errno == EINTR) {
    }
  }
  if (master_open) drain(&r);
  return r.status;
}
