#include "init.h"

#include <errno.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals the kernel raises on a fault of the process itself: left alone, never forwarded. */
static const int SYNCHRONOUS[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU};

static void forwarded(sigset_t *set) {
  size_t i;
  sigfillset(set);
  for (i = 0; i < sizeof SYNCHRONOUS / sizeof SYNCHRONOUS[0]; i++) sigdelset(set, SYNCHRONOUS[i]);
}

/* Reaps every child that ended; returns 1 once the command is among them, with its status. */
static int reap(pid_t command, int *status) {
  int st, done = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
    if (pid == command) *status = st, done = 1;
  return done;
}

__attribute__((noreturn)) static void serve(pid_t command, const sigset_t *set) {
  siginfo_t si;
  int status = 0, sig;
  for (;;) {
    sig = sigwaitinfo(set, &si);
    if (sig < 0) continue; /* EINTR: a signal outside the set (e.g. SIGSTOP/SIGCONT) */
    if (sig != SIGCHLD) {
      kill(command, sig);
      continue;
    }
    if (reap(command, &status)) break;
  }
  /* The rest of the container goes with PID 1 (the kernel kills it); what ended already is reaped. */
  reap(command, &status);
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int tsc_init_run(const struct tsc_plan *p, int (*exec_command)(const struct tsc_plan *, struct tsc_error *),
                 struct tsc_error *err) {
  sigset_t set, old;
  pid_t command;

  /* Blocked before the fork, so nothing sent in between is lost: PID 1 drops a signal it has no
   * handler for, but a blocked one stays pending until sigwaitinfo takes it. */
  forwarded(&set);
  if (sigprocmask(SIG_BLOCK, &set, &old) < 0) return tsc_fail(err, errno, "init", "block signals");
  /* Not PID 1 (a shared pid namespace): orphans of the command are still ours to reap. */
  if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    return tsc_fail(err, errno, "init", "become a subreaper");
  if ((command = fork()) < 0) return tsc_fail(err, errno, "init", "fork the command");
  if (command == 0) {
    if (sigprocmask(SIG_SETMASK, &old, NULL) < 0) return tsc_fail(err, errno, "signals", "unblock signals");
    return exec_command(p, err);
  }
  /* Only the command reports to the monitor (its sync pipe closes on exec); init keeps stdio alone. */
  close_range(3, ~0U, 0);
  prctl(PR_SET_NAME, "tsc-init", 0, 0, 0);
  serve(command, &set);
}
