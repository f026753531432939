#include "process.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int tsc_process_rlimits(const struct tsc_plan *p, struct tsc_error *err) {
  size_t i;
  for (i = 0; i < p->nrlimits; i++) {
    struct rlimit rl = {p->rlimits[i].soft, p->rlimits[i].hard};
    if (setrlimit(p->rlimits[i].resource, &rl) < 0) return tsc_fail(err, errno, "rlimit", "set `%s`", p->rlimits[i].name);
  }
  return 0;
}

int tsc_process_user(const struct tsc_plan *p, struct tsc_error *err) {
  if (p->has_groups || p->has_user) {
    if (setgroups(p->ngroups, p->groups) < 0)
      return tsc_fail(err, errno, "user", "set %zu supplementary groups", p->ngroups);
  }
  if (!p->has_user) return 0;
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return tsc_fail(err, errno, "user", "keep capabilities across setuid");
  if (setresgid(p->gid, p->gid, p->gid) < 0) return tsc_fail(err, errno, "user", "set gid %u", (unsigned)p->gid);
  if (setresuid(p->uid, p->uid, p->uid) < 0) return tsc_fail(err, errno, "user", "set uid %u", (unsigned)p->uid);
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return tsc_fail(err, errno, "user", "clear keep-capabilities");
  return 0;
}

int tsc_process_reset_signals(struct tsc_error *err) {
  sigset_t none;
  int sig;
  for (sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) return tsc_fail(err, errno, "signals", "unblock signals");
  return 0;
}

static const char *env_path(const struct tsc_plan *p) {
  size_t i;
  for (i = 0; i < p->env.len; i++)
    if (strncmp(p->env.items[i], "PATH=", 5) == 0) return p->env.items[i] + 5;
  return DEFAULT_PATH;
}

static int executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static int exec_command(const struct tsc_plan *p, struct tsc_error *err);

int tsc_process_exec(const struct tsc_plan *p, struct tsc_error *err) {
  /* With `init`, this process stays as the container's init and the command runs as its child. */
  if (p->init) return tsc_init_run(p, exec_command, err);
  return exec_command(p, err);
}

static int exec_command(const struct tsc_plan *p, struct tsc_error *err) {
  char *const *argv = (char *const *)p->args.items;
  char *const *envp = (char *const *)p->env.items;
  const char *file = p->args.items[0], *dir = env_path(p), *end;
  char candidate[PATH_MAX];
  static char *const no_env[] = {NULL};

  if (envp == NULL) envp = no_env;
  if (strchr(file, '/') != NULL) {
    execve(file, argv, envp);
    return tsc_fail(err, errno, "exec", "exec: \"%s\"", file);
  }
  for (;; dir = end + 1) {
    size_t len;
    end = strchrnul(dir, ':');
    len = (size_t)(end - dir);
    /* An empty PATH element means the current directory. */
    if (snprintf(candidate, sizeof candidate, "%.*s%s%s", (int)len, dir, len ? "/" : "", file) < (int)sizeof candidate &&
        executable(candidate)) {
      execve(candidate, argv, envp);
      return tsc_fail(err, errno, "exec", "exec: \"%s\" (found at `%s`)", file, candidate);
    }
    if (*end == '\0') break;
  }
  return tsc_fail_msg(err, ENOENT, "exec", "exec: \"%s\": executable file not found in $PATH", file);
}
