#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monitor.h"
#include "report.h"

static int fail(struct tsc_report *r, int errnum, const char *what) {
  tsc_fail(&r->error, errnum, "monitor", "%s", what);
  tsc_report_print(r, 1);
  return 1;
}

int tsc_launch(const struct tsc_plan *plan) {
  struct tsc_report r = {0};
  pid_t child, monitor;
  int rp[2], status;
  ssize_t n;

  if (pipe2(rp, O_CLOEXEC) < 0) return fail(&r, errno, "create the report pipe");
  if ((child = fork()) < 0) return fail(&r, errno, "fork");
  if (child == 0) {
    close(rp[0]);
    /* A new session and a second fork: the monitor has no controlling terminal and init adopts it. */
    if (setsid() < 0 || (monitor = fork()) < 0) _exit(1);
    if (monitor == 0) tsc_monitor_main(plan, rp[1]);
    _exit(0);
  }
  close(rp[1]);
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  do n = read(rp[0], &r, sizeof r);
  while (n < 0 && errno == EINTR);
  close(rp[0]);
  if (n != (ssize_t)sizeof r) {
    r.ok = 0;
    return fail(&r, n < 0 ? errno : EPROTO, "the monitor exited before reporting");
  }
  tsc_report_print(&r, 1);
  return r.ok ? 0 : 1;
}
