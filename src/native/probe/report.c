/* `probe report`: the process's view of its world as one JSON object. */
#include <dirent.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "json.h"
#include "probe.h"

extern char **environ;

static void status_fields(void) {
  char line[512];
  FILE *f = fopen("/proc/self/status", "r");
  json_key("status");
  json_open('{');
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    char *colon = strchr(line, ':'), *value;
    if (colon == NULL) continue;
    *colon = '\0';
    if (strncmp(line, "Cap", 3) != 0 && strcmp(line, "NoNewPrivs") != 0 && strcmp(line, "Umask") != 0 &&
        strcmp(line, "Seccomp") != 0)
      continue;
    for (value = colon + 1; *value == ' ' || *value == '\t'; value++) {
    }
    value[strcspn(value, "\n")] = '\0';
    json_key(line);
    json_str(value);
  }
  if (f != NULL) fclose(f);
  json_close('}');
}

/* mountinfo: id parent major:minor root mountpoint options [optional...] - fstype source superoptions */
static void mounts(void) {
  char line[4096];
  FILE *f = fopen("/proc/self/mountinfo", "r");
  json_key("mounts");
  json_open('[');
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    char *field[6], *save = NULL, *sep = strstr(line, " - "), *type, *source, *super;
    int i;
    if (sep == NULL) continue;
    *sep = '\0';
    for (i = 0; i < 6; i++) field[i] = strtok_r(i == 0 ? line : NULL, " ", &save);
    type = strtok_r(sep + 3, " ", &save);
    source = strtok_r(NULL, " ", &save);
    super = strtok_r(NULL, " \n", &save);
    if (field[5] == NULL || type == NULL) continue;
    json_elem();
    json_open('{');
    json_key("target"), json_str(field[4]);
    json_key("type"), json_str(type);
    json_key("source"), json_str(source != NULL ? source : "");
    json_key("options"), json_str(field[5]);
    json_key("superOptions"), json_str(super != NULL ? super : "");
    json_close('}');
  }
  if (f != NULL) fclose(f);
  json_close(']');
}

static void interfaces(void) {
  char line[512];
  FILE *f = fopen("/proc/net/dev", "r");
  json_key("interfaces");
  json_open('[');
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    char *colon = strchr(line, ':'), *name = line;
    if (colon == NULL) continue;
    *colon = '\0';
    while (*name == ' ') name++;
    json_elem(), json_str(name);
  }
  if (f != NULL) fclose(f);
  json_close(']');
}

static void pids(void) {
  DIR *d = opendir("/proc");
  struct dirent *e;
  json_key("pids");
  json_open('[');
  while (d != NULL && (e = readdir(d)) != NULL)
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9') json_elem(), json_raw(e->d_name);
  if (d != NULL) closedir(d);
  json_close(']');
}

static void rlimits(void) {
  static const struct { const char *name; int resource; } R[] = {
      {"AS", RLIMIT_AS}, {"CORE", RLIMIT_CORE}, {"CPU", RLIMIT_CPU}, {"DATA", RLIMIT_DATA}, {"FSIZE", RLIMIT_FSIZE},
      {"LOCKS", RLIMIT_LOCKS}, {"MEMLOCK", RLIMIT_MEMLOCK}, {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},
      {"NOFILE", RLIMIT_NOFILE}, {"NPROC", RLIMIT_NPROC}, {"RSS", RLIMIT_RSS}, {"RTPRIO", RLIMIT_RTPRIO},
      {"RTTIME", RLIMIT_RTTIME}, {"SIGPENDING", RLIMIT_SIGPENDING}, {"STACK", RLIMIT_STACK}};
  size_t i;
  json_key("rlimits");
  json_open('{');
  for (i = 0; i < sizeof R / sizeof R[0]; i++) {
    struct rlimit rl;
    if (getrlimit(R[i].resource, &rl) < 0) continue;
    json_key(R[i].name);
    json_open('{');
    json_key("soft");
    if (rl.rlim_cur == RLIM_INFINITY) json_str("unlimited");
    else json_u64(rl.rlim_cur);
    json_key("hard");
    if (rl.rlim_max == RLIM_INFINITY) json_str("unlimited");
    else json_u64(rl.rlim_max);
    json_close('}');
  }
  json_close('}');
}

int probe_report(void) {
  struct utsname u;
  gid_t groups[256];
  char cwd[4096];
  int n, i;

  uname(&u);
  json_open('{');
  json_key("hostname"), json_str(u.nodename);
  json_key("domainname"), json_str(u.domainname);
  json_key("pid"), json_i64(getpid());
  json_key("ppid"), json_i64(getppid());
  json_key("uid"), json_i64(getuid());
  json_key("gid"), json_i64(getgid());
  json_key("euid"), json_i64(geteuid());
  json_key("egid"), json_i64(getegid());
  json_key("groups");
  json_open('[');
  n = getgroups(256, groups);
  for (i = 0; i < n; i++) json_elem(), json_i64(groups[i]);
  json_close(']');
  json_key("cwd"), json_str(getcwd(cwd, sizeof cwd) != NULL ? cwd : "");
  json_key("env");
  json_open('[');
  for (i = 0; environ[i] != NULL; i++) json_elem(), json_str(environ[i]);
  json_close(']');
  status_fields();
  rlimits();
  mounts();
  interfaces();
  pids();
  json_close('}');
  json_flush();
  return 0;
}
