/* Parser of the line-oriented launch plan (PROTOCOL.md). */
#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "plan-fields.h"

#define MAX_FIELDS 1024
#define MAX_PLAN_BYTES (16 * 1024 * 1024)

struct line {
  char *key;
  char *f[MAX_FIELDS];
  int n;
  int lineno;
};

typedef int (*handler_fn)(struct tsc_plan *, struct line *, struct tsc_error *);

static int bad(struct tsc_error *err, struct line *l, const char *what) {
  return tsc_fail_msg(err, EINVAL, "plan", "plan line %d (`%s`): %s", l->lineno, l->key, what);
}

static int h_namespace(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  int kind;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (strcmp(l->f[0], tsc_ns_name(kind)) == 0) break;
  if (kind == TSC_NS_COUNT) return bad(err, l, "unknown namespace kind");
  if (strcmp(l->f[1], "new") == 0 && l->n == 2) p->ns[kind].mode = TSC_NS_NEW;
  else if (strcmp(l->f[1], "path") == 0 && l->n == 3) p->ns[kind].mode = TSC_NS_PATH, p->ns[kind].path = l->f[2];
  else return bad(err, l, "expected `new` or `path <path>`");
  return 0;
}

static int h_rootfs(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  const char *k = l->key;
  if (strcmp(k, "rootfs") == 0) p->rootfs = l->f[0];
  else if (strcmp(k, "overlay-lower") == 0) return tsc_strv_push(&p->overlay_lower, l->f[0]) < 0 ? bad(err, l, "out of memory") : 0;
  else if (strcmp(k, "overlay-upper") == 0) p->overlay_upper = l->f[0];
  else if (strcmp(k, "overlay-work") == 0) p->overlay_work = l->f[0];
  else if (strcmp(k, "rootfs-propagation") == 0) p->rootfs_propagation = l->f[0];
  else p->readonly_rootfs = 1;
  return 0;
}

static struct tsc_step *new_step(struct tsc_plan *p, enum tsc_step_kind kind) {
  if (p->nsteps == p->capsteps) {
    size_t cap = p->capsteps ? p->capsteps * 2 : 32;
    struct tsc_step *steps = realloc(p->steps, cap * sizeof *steps);
    if (steps == NULL) return NULL;
    p->steps = steps, p->capsteps = cap;
  }
  memset(&p->steps[p->nsteps], 0, sizeof p->steps[0]);
  p->steps[p->nsteps].kind = kind;
  return &p->steps[p->nsteps++];
}

static int h_step(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  unsigned long long v[5];
  struct tsc_step *s;
  const char *k = l->key;
  enum tsc_step_kind kind = strcmp(k, "mount") == 0     ? TSC_STEP_MOUNT
                            : strcmp(k, "device") == 0  ? TSC_STEP_DEVICE
                            : strcmp(k, "symlink") == 0 ? TSC_STEP_SYMLINK
                                                        : TSC_STEP_DIRECTORY;
  if ((s = new_step(p, kind)) == NULL) return bad(err, l, "out of memory");
  switch (kind) {
  case TSC_STEP_MOUNT:
    s->path = l->f[0], s->type = l->f[1], s->source = l->f[2], s->flags = l->f[3], s->data = l->f[4];
    break;
  case TSC_STEP_DEVICE:
    if (strlen(l->f[1]) != 1 || strchr("cbp", l->f[1][0]) == NULL) return bad(err, l, "device type must be c, b or p");
    if (tsc_parse_u64(l->f[2], 10, &v[0]) < 0 || tsc_parse_u64(l->f[3], 10, &v[1]) < 0 ||
        tsc_parse_u64(l->f[4], 8, &v[2]) < 0 || tsc_parse_u64(l->f[5], 10, &v[3]) < 0 ||
        tsc_parse_u64(l->f[6], 10, &v[4]) < 0 || v[2] > 07777)
      return bad(err, l, "bad number");
    s->path = l->f[0], s->dev_type = l->f[1][0];
    s->major = (unsigned)v[0], s->minor = (unsigned)v[1], s->mode = (mode_t)v[2], s->uid = (uid_t)v[3], s->gid = (gid_t)v[4];
    break;
  case TSC_STEP_SYMLINK:
    s->source = l->f[0], s->path = l->f[1];
    break;
  case TSC_STEP_DIRECTORY:
    if (tsc_parse_u64(l->f[1], 8, &v[0]) < 0 || tsc_parse_u64(l->f[2], 10, &v[1]) < 0 ||
        tsc_parse_u64(l->f[3], 10, &v[2]) < 0 || v[0] > 07777)
      return bad(err, l, "bad number");
    s->path = l->f[0], s->mode = (mode_t)v[0], s->uid = (uid_t)v[1], s->gid = (gid_t)v[2];
    break;
  }
  return 0;
}

static int h_list(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  const char *k = l->key;
  struct tsc_strv *v = strcmp(k, "masked") == 0 ? &p->masked
                       : strcmp(k, "readonly") == 0 ? &p->readonly
                       : strcmp(k, "env") == 0 ? &p->env
                       : strcmp(k, "cgroup") == 0 ? &p->cgroups
                                               : &p->args;
  return tsc_strv_push(v, l->f[0]) < 0 ? bad(err, l, "out of memory") : 0;
}

static int h_process(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  unsigned long long a, b;
  const char *k = l->key;
  if (strcmp(k, "hostname") == 0) p->hostname = l->f[0];
  else if (strcmp(k, "domainname") == 0) p->domainname = l->f[0];
  else if (strcmp(k, "cwd") == 0) p->cwd = l->f[0];
  else if (strcmp(k, "log") == 0) p->log_path = l->f[0];
  else if (strcmp(k, "exit-file") == 0) p->exit_path = l->f[0];
  else if (strcmp(k, "no-new-privileges") == 0) p->no_new_privs = 1;
  else if (strcmp(k, "umask") == 0) {
    if (tsc_parse_u64(l->f[0], 8, &a) < 0 || a > 0777) return bad(err, l, "bad octal mode");
    p->has_umask = 1, p->umask = (mode_t)a;
  } else if (strcmp(k, "user") == 0) {
    if (tsc_parse_u64(l->f[0], 10, &a) < 0 || tsc_parse_u64(l->f[1], 10, &b) < 0 || a >= 0xffffffffULL || b >= 0xffffffffULL)
      return bad(err, l, "bad uid or gid");
    p->has_user = 1, p->uid = (uid_t)a, p->gid = (gid_t)b;
  } else { /* groups */
    int i;
    p->has_groups = 1;
    for (i = 0; i < l->n; i++)
      if (tsc_strv_push(&p->groups_text, l->f[i]) < 0) return bad(err, l, "out of memory");
  }
  return 0;
}

static int h_rlimit(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  struct tsc_rlimit r;
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

static int h_caps(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  int set, i, cap;
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

static int h_extra(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  unsigned long long v;
  const char *k = l->key;
  if (strcmp(k, "init") == 0) {
    p->init = 1;
  } else if (strcmp(k, "sysctl") == 0) {
    if (l->f[0][0] == '\0' || l->f[0][0] == '.' || strstr(l->f[0], "..") != NULL || strchr(l->f[0], '/') != NULL)
      return bad(err, l, "bad sysctl name");
    if (tsc_strv_push(&p->sysctl_keys, l->f[0]) < 0 || tsc_strv_push(&p->sysctl_values, l->f[1]) < 0)
      return bad(err, l, "out of memory");
  } else if (strcmp(k, "log-max-size") == 0) {
    if (tsc_parse_u64(l->f[0], 10, &v) < 0 || v == 0) return bad(err, l, "bad size");
    p->log_max_size = v;
  } else { /* log-max-files */
    if (tsc_parse_u64(l->f[0], 10, &v) < 0 || v == 0 || v > 1000) return bad(err, l, "bad file count (1 to 1000)");
    p->log_max_files = (unsigned)v;
  }
  return 0;
}

static const struct {
  const char *key;
  int min, max;
  handler_fn fn;
} HANDLERS[] = {
    {"namespace", 2, 3, h_namespace}, {"rootfs", 1, 1, h_rootfs},       {"overlay-lower", 1, 1, h_rootfs},
    {"overlay-upper", 1, 1, h_rootfs}, {"overlay-work", 1, 1, h_rootfs}, {"rootfs-propagation", 1, 1, h_rootfs},
    {"readonly-rootfs", 0, 0, h_rootfs}, {"mount", 5, 5, h_step},        {"device", 7, 7, h_step},
    {"symlink", 2, 2, h_step},         {"directory", 4, 4, h_step},      {"masked", 1, 1, h_list},
    {"readonly", 1, 1, h_list},        {"env", 1, 1, h_list},            {"arg", 1, 1, h_list},
    {"hostname", 1, 1, h_process},     {"domainname", 1, 1, h_process},  {"cwd", 1, 1, h_process},
    {"log", 1, 1, h_process},          {"exit-file", 1, 1, h_process},   {"no-new-privileges", 0, 0, h_process},
    {"umask", 1, 1, h_process},        {"user", 2, 2, h_process},        {"groups", 0, MAX_FIELDS, h_process},
    {"rlimit", 3, 3, h_rlimit},        {"capabilities", 1, MAX_FIELDS, h_caps},
    {"cgroup", 1, 1, h_list},
    {"init", 0, 0, h_extra},           {"sysctl", 2, 2, h_extra},        {"log-max-size", 1, 1, h_extra},
    {"log-max-files", 1, 1, h_extra},
};

static int parse_line(struct tsc_plan *p, struct line *l, struct tsc_error *err) {
  size_t i;
  for (i = 0; i < sizeof HANDLERS / sizeof HANDLERS[0]; i++) {
    if (strcmp(HANDLERS[i].key, l->key) != 0) continue;
    if (l->n < HANDLERS[i].min || l->n > HANDLERS[i].max) return bad(err, l, "wrong number of fields");
    return HANDLERS[i].fn(p, l, err);
  }
  return bad(err, l, "unknown key");
}

static int split_line(char *text, struct line *l, struct tsc_error *err) {
  char *save = NULL, *tok, *s = text;
  l->n = 0;
  if (text[0] == ' ' || strstr(text, "  ") != NULL || text[strlen(text) - 1] == ' ')
    return tsc_fail_msg(err, EINVAL, "plan", "plan line %d: empty field", l->lineno);
  l->key = strtok_r(s, " ", &save);
  while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
    if (l->n == MAX_FIELDS) return tsc_fail_msg(err, E2BIG, "plan", "plan line %d: too many fields", l->lineno);
    if (tsc_field_unescape(tok) < 0)
      return tsc_fail_msg(err, EINVAL, "plan", "plan line %d: bad escape in field %d", l->lineno, l->n + 1);
    l->f[l->n++] = tok;
  }
  return 0;
}

static int check(struct tsc_plan *p, struct tsc_error *err) {
  if (p->rootfs == NULL) return tsc_fail_msg(err, EINVAL, "plan", "plan: `rootfs` is missing");
  if (p->args.len == 0) return tsc_fail_msg(err, EINVAL, "plan", "plan: no `arg` given");
  if (p->log_path == NULL || p->exit_path == NULL)
    return tsc_fail_msg(err, EINVAL, "plan", "plan: `log` and `exit-file` are required");
  if (p->ns[TSC_NS_MOUNT].mode != TSC_NS_NEW)
    return tsc_fail_msg(err, EINVAL, "plan", "plan: the rootfs needs `namespace mount new`");
  if ((p->hostname != NULL || p->domainname != NULL) && p->ns[TSC_NS_UTS].mode != TSC_NS_NEW)
    return tsc_fail_msg(err, EINVAL, "plan", "plan: `hostname` and `domainname` need `namespace uts new`");
  if ((p->overlay_upper == NULL) != (p->overlay_work == NULL))
    return tsc_fail_msg(err, EINVAL, "plan", "plan: `overlay-upper` and `overlay-work` go together");
  if (p->overlay_upper != NULL && p->overlay_lower.len == 0)
    return tsc_fail_msg(err, EINVAL, "plan", "plan: an overlay rootfs needs at least one `overlay-lower`");
  if (p->log_max_size != 0 && p->log_max_files == 0) p->log_max_files = 1;
  return tsc_plan_groups(p, err);
}

int tsc_plan_parse(struct tsc_plan *p, char *text, struct tsc_error *err) {
  char *raw;
  struct line l = {0};
  int seen_header = 0;

  memset(p, 0, sizeof *p);
  for (raw = text; raw != NULL && raw[0] != '\0';) {
    char *nl = strchr(raw, '\n');
    if (nl != NULL) *nl = '\0';
    l.lineno++;
    if (raw[0] != '\0' && raw[0] != '#') {
      if (split_line(raw, &l, err) < 0) return -1;
      if (!seen_header) {
        if (strcmp(l.key, "tsc-plan") != 0 || l.n != 1 || strcmp(l.f[0], "1") != 0)
          return tsc_fail_msg(err, EINVAL, "plan", "plan: first line must be `tsc-plan 1`");
        seen_header = 1;
      } else if (parse_line(p, &l, err) < 0) {
        return -1;
      }
    }
    raw = nl != NULL ? nl + 1 : NULL;
  }
  if (!seen_header) return tsc_fail_msg(err, EINVAL, "plan", "plan: empty");
  return check(p, err);
}

int tsc_plan_load(struct tsc_plan *p, const char *bundle, struct tsc_error *err) {
  char path[4096];
  struct tsc_buf buf = {0};
  char chunk[65536];
  ssize_t n;
  int fd;

  snprintf(path, sizeof path, "%s/%s", bundle, TSC_PLAN_FILE);
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "plan", "open plan `%s`", path);
  while ((n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || buf.len + (size_t)n > MAX_PLAN_BYTES || tsc_buf_add(&buf, chunk, (size_t)n) < 0) {
      int e = n < 0 ? errno : E2BIG;
      close(fd);
      return tsc_fail(err, e, "plan", "read plan `%s`", path);
    }
  }
  close(fd);
  if (buf.data == NULL || memchr(buf.data, '\0', buf.len) != NULL)
    return tsc_fail_msg(err, EINVAL, "plan", "plan `%s`: empty or contains NUL", path);
  return tsc_plan_parse(p, buf.data, err);
}
