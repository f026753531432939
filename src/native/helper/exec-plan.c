/* Parser of the exec plan (PROTOCOL.md, "Exec"): the launch plan's escaping and its process records. */
#include "exec-plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "plan-fields.h"

#define MAX_FIELDS 1024
#define MAX_EXEC_PLAN_BYTES (4 * 1024 * 1024)

struct line {
  char *key;
  char *f[MAX_FIELDS];
  int n;
  int lineno;
};

static int bad(struct tsc_error *err, const struct line *l, const char *what) {
  return tsc_fail_msg(err, EINVAL, "plan", "exec plan line %d (`%s`): %s", l->lineno, l->key, what);
}

static int want(struct tsc_error *err, const struct line *l, int min, int max) {
  return l->n < min || l->n > max ? bad(err, l, "wrong number of fields") : 0;
}

static int id_field(const char *s, unsigned long long *out) {
  return tsc_parse_u64(s, 10, out) < 0 || *out >= 0xffffffffULL ? -1 : 0;
}

static int h_target(struct tsc_exec_plan *x, struct line *l, struct tsc_error *err) {
  unsigned long long pid, start;
  if (want(err, l, 2, 2) < 0) return -1;
  if (tsc_parse_u64(l->f[0], 10, &pid) < 0 || pid == 0 || pid > 0x3fffffff || tsc_parse_u64(l->f[1], 10, &start) < 0)
    return bad(err, l, "expected a pid and its start time");
  x->target_pid = (pid_t)pid, x->target_start = start;
  return 0;
}

static int h_namespace(struct tsc_exec_plan *x, struct line *l, struct tsc_error *err) {
  int kind;
  if (want(err, l, 2, 3) < 0) return -1;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (strcmp(l->f[0], tsc_ns_name(kind)) == 0) break;
  if (kind == TSC_NS_COUNT) return bad(err, l, "unknown namespace kind");
  /* A new namespace would not be the container's: exec only joins. */
  if (l->n != 3 || strcmp(l->f[1], "path") != 0 || l->f[2][0] != '/') return bad(err, l, "expected `path <absolute path>`");
  x->ns_path[kind] = l->f[2];
  return 0;
}

static int h_caps(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  int set, i, cap;
  if (want(err, l, 1, MAX_FIELDS) < 0) return -1;
  for (set = 0; set < TSC_CAP_SETS; set++)
    if (strcmp(l->f[0], tsc_capset_name(set)) == 0) break;
  if (set == TSC_CAP_SETS) return bad(err, l, "unknown capability set");
  p->has_caps = 1;
  p->caps[set] = 0;
  for (i = 1; i < l->n; i++) {
    if ((cap = tsc_cap_from_name(l->f[i])) < 0) return bad(err, l, "unknown capability");
    p->caps[set] |= 1ULL << cap;
  }
  return 0;
}

static int h_rlimit(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  struct tsc_rlimit r;
  if (want(err, l, 3, 3) < 0) return -1;
  if ((r.resource = tsc_rlimit_from_name(l->f[0])) < 0) return bad(err, l, "unknown rlimit");
  if (tsc_parse_rlim(l->f[1], &r.soft) < 0 || tsc_parse_rlim(l->f[2], &r.hard) < 0) return bad(err, l, "bad limit");
  r.name = l->f[0];
  if (p->nrlimits == p->caprlimits) {
    size_t cap = p->caprlimits ? p->caprlimits * 2 : 8;
    struct tsc_rlimit *rl = realloc(p->rlimits, cap * sizeof *rl);
    if (rl == NULL) return bad(err, l, "out of memory");
    p->rlimits = rl, p->caprlimits = cap;
  }
  p->rlimits[p->nrlimits++] = r;
  return 0;
}

static int push(struct tsc_strv *v, struct line *l, struct tsc_error *err) {
  if (want(err, l, 1, 1) < 0) return -1;
  return tsc_strv_push(v, l->f[0]) < 0 ? bad(err, l, "out of memory") : 0;
}

static int h_process(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  unsigned long long a, b;
  const char *k = l->key;
  int i;
  if (strcmp(k, "cgroup") == 0) return push(&p->cgroups, l, err);
  if (strcmp(k, "env") == 0) return push(&p->env, l, err);
  if (strcmp(k, "arg") == 0) return push(&p->args, l, err);
  if (strcmp(k, "rlimit") == 0) return h_rlimit(p, l, err);
  if (strcmp(k, "capabilities") == 0) return h_caps(p, l, err);
  if (strcmp(k, "cwd") == 0) {
    if (want(err, l, 1, 1) < 0) return -1;
    p->cwd = l->f[0];
  } else if (strcmp(k, "no-new-privileges") == 0) {
    if (want(err, l, 0, 0) < 0) return -1;
    p->no_new_privs = 1;
  } else if (strcmp(k, "umask") == 0) {
    if (want(err, l, 1, 1) < 0) return -1;
    if (tsc_parse_u64(l->f[0], 8, &a) < 0 || a > 0777) return bad(err, l, "bad octal mode");
    p->has_umask = 1, p->umask = (mode_t)a;
  } else if (strcmp(k, "user") == 0) {
    if (want(err, l, 2, 2) < 0) return -1;
    if (id_field(l->f[0], &a) < 0 || id_field(l->f[1], &b) < 0) return bad(err, l, "bad uid or gid");
    p->has_user = 1, p->uid = (uid_t)a, p->gid = (gid_t)b;
  } else if (strcmp(k, "groups") == 0) {
    p->has_groups = 1;
    for (i = 0; i < l->n; i++)
      if (tsc_strv_push(&p->groups_text, l->f[i]) < 0) return bad(err, l, "out of memory");
  } else {
    return bad(err, l, "unknown key");
  }
  return 0;
}

static int parse_line(struct tsc_exec_plan *x, struct line *l, struct tsc_error *err) {
  if (strcmp(l->key, "target") == 0) return h_target(x, l, err);
  if (strcmp(l->key, "namespace") == 0) return h_namespace(x, l, err);
  if (strcmp(l->key, "tty") == 0 || strcmp(l->key, "detach") == 0) {
    if (want(err, l, 0, 0) < 0) return -1;
    *(strcmp(l->key, "tty") == 0 ? &x->tty : &x->detach) = 1;
    return 0;
  }
  return h_process(&x->proc, l, err);
}

static int split_line(char *text, struct line *l, struct tsc_error *err) {
  char *save = NULL, *tok;
  l->n = 0;
  if (text[0] == ' ' || strstr(text, "  ") != NULL || text[strlen(text) - 1] == ' ')
    return tsc_fail_msg(err, EINVAL, "plan", "exec plan line %d: empty field", l->lineno);
  l->key = strtok_r(text, " ", &save);
  while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
    if (l->n == MAX_FIELDS) return tsc_fail_msg(err, E2BIG, "plan", "exec plan line %d: too many fields", l->lineno);
    if (tsc_field_unescape(tok) < 0)
      return tsc_fail_msg(err, EINVAL, "plan", "exec plan line %d: bad escape in field %d", l->lineno, l->n + 1);
    l->f[l->n++] = tok;
  }
  return 0;
}

static int check(struct tsc_exec_plan *x, struct tsc_error *err) {
  if (x->target_pid == 0) return tsc_fail_msg(err, EINVAL, "plan", "exec plan: `target` is missing");
  if (x->proc.args.len == 0) return tsc_fail_msg(err, EINVAL, "plan", "exec plan: no `arg` given");
  if (x->proc.cwd != NULL && x->proc.cwd[0] != '/') return tsc_fail_msg(err, EINVAL, "plan", "exec plan: `cwd` is not absolute");
  return tsc_plan_groups(&x->proc, err);
}

int tsc_exec_plan_parse(struct tsc_exec_plan *x, char *text, struct tsc_error *err) {
  static struct line l; /* large: kept off the stack */
  char *raw;
  int seen_header = 0;

  memset(x, 0, sizeof *x);
  memset(&l, 0, sizeof l);
  for (raw = text; raw != NULL && raw[0] != '\0';) {
    char *nl = strchr(raw, '\n');
    if (nl != NULL) *nl = '\0';
    l.lineno++;
    if (raw[0] != '\0' && raw[0] != '#') {
      if (split_line(raw, &l, err) < 0) return -1;
      if (!seen_header) {
        if (strcmp(l.key, "tsc-exec") != 0 || l.n != 1 || strcmp(l.f[0], "1") != 0)
          return tsc_fail_msg(err, EINVAL, "plan", "exec plan: first line must be `tsc-exec 1`");
        seen_header = 1;
      } else if (parse_line(x, &l, err) < 0) {
        return -1;
      }
    }
    raw = nl != NULL ? nl + 1 : NULL;
  }
  if (!seen_header) return tsc_fail_msg(err, EINVAL, "plan", "exec plan: empty");
  return check(x, err);
}

int tsc_exec_plan_load(struct tsc_exec_plan *x, const char *path, struct tsc_error *err) {
  struct tsc_buf buf = {0};
  char chunk[65536];
  ssize_t n;
  int fd;

  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "plan", "open exec plan `%s`", path);
  while ((n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || buf.len + (size_t)n > MAX_EXEC_PLAN_BYTES || tsc_buf_add(&buf, chunk, (size_t)n) < 0) {
      int e = n < 0 ? errno : E2BIG;
      close(fd);
      return tsc_fail(err, e, "plan", "read exec plan `%s`", path);
    }
  }
  close(fd);
  if (buf.data == NULL || memchr(buf.data, '\0', buf.len) != NULL)
    return tsc_fail_msg(err, EINVAL, "plan", "exec plan `%s`: empty or contains NUL", path);
  return tsc_exec_plan_parse(x, buf.data, err);
}
