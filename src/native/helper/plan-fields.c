#include "plan-fields.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"

static const char *const NS_NAMES[TSC_NS_COUNT] = {"pid", "mount", "uts", "ipc", "net", "cgroup"};
static const char *const CAPSET_NAMES[TSC_CAP_SETS] = {"bounding", "effective", "permitted", "inheritable", "ambient"};

const char *tsc_ns_name(enum tsc_ns_kind kind) { return NS_NAMES[kind]; }
const char *tsc_capset_name(enum tsc_capset set) { return CAPSET_NAMES[set]; }

int tsc_field_unescape(char *field) {
  char *r = field, *w = field;
  if (strcmp(field, "-") == 0) {
    field[0] = '\0';
    return 0;
  }
  while (*r != '\0') {
    if (*r != '\\') {
      *w++ = *r++;
      continue;
    }
    switch (r[1]) {
    case '\\': *w++ = '\\'; break;
    case 's': *w++ = ' '; break;
    case 'n': *w++ = '\n'; break;
    case 't': *w++ = '\t'; break;
    case 'r': *w++ = '\r'; break;
    case '-': *w++ = '-'; break;
    default: return -1;
    }
    r += 2;
  }
  *w = '\0';
  return 0;
}

int tsc_strv_push(struct tsc_strv *v, const char *item) {
  if (v->len + 1 >= v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    const char **items = realloc(v->items, cap * sizeof *items);
    if (items == NULL) return -1;
    v->items = items, v->cap = cap;
  }
  v->items[v->len++] = item;
  v->items[v->len] = NULL;
  return 0;
}

int tsc_parse_u64(const char *s, int base, unsigned long long *out) {
  char *end;
  if (s[0] < '0' || s[0] > '9') return -1;
  errno = 0;
  *out = strtoull(s, &end, base);
  return errno != 0 || *end != '\0' ? -1 : 0;
}

int tsc_parse_rlim(const char *s, rlim_t *out) {
  unsigned long long v;
  if (strcmp(s, "unlimited") == 0) {
    *out = RLIM_INFINITY;
    return 0;
  }
  if (tsc_parse_u64(s, 10, &v) < 0) return -1;
  *out = (rlim_t)v;
  return 0;
}

static const struct {
  const char *name;
  int resource;
} RLIMITS[] = {
    {"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},     {"RLIMIT_FSIZE", RLIMIT_FSIZE},       {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},     {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

int tsc_rlimit_from_name(const char *name) {
  size_t i;
  for (i = 0; i < sizeof RLIMITS / sizeof RLIMITS[0]; i++)
    if (strcmp(RLIMITS[i].name, name) == 0) return RLIMITS[i].resource;
  return -1;
}

int tsc_plan_groups(struct tsc_plan *p, struct tsc_error *err) {
  size_t i;
  unsigned long long g;
  if (p->groups_text.len == 0) return 0;
  p->groups = calloc(p->groups_text.len, sizeof *p->groups);
  if (p->groups == NULL) return tsc_fail_msg(err, ENOMEM, "plan", "plan: groups");
  for (i = 0; i < p->groups_text.len; i++) {
    if (tsc_parse_u64(p->groups_text.items[i], 10, &g) < 0 || g >= 0xffffffffULL)
      return tsc_fail_msg(err, EINVAL, "plan", "plan: bad gid `%s` in `groups`", p->groups_text.items[i]);
    p->groups[i] = (gid_t)g;
  }
  p->ngroups = p->groups_text.len;
  return 0;
}

int tsc_plan_line_bad(struct tsc_error *err, const struct tsc_plan_line *l, const char *problem) {
  return tsc_fail_msg(err, EINVAL, "plan", "%s line %d (`%s`): %s", l->what, l->lineno, l->key, problem);
}

int tsc_plan_line_want(struct tsc_error *err, const struct tsc_plan_line *l, int min, int max) {
  return l->n < min || l->n > max ? tsc_plan_line_bad(err, l, "wrong number of fields") : 0;
}

static int split_line(char *text, struct tsc_plan_line *l, struct tsc_error *err) {
  char *save = NULL, *tok;
  l->n = 0;
  if (text[0] == ' ' || strstr(text, "  ") != NULL || text[strlen(text) - 1] == ' ')
    return tsc_fail_msg(err, EINVAL, "plan", "%s line %d: empty field", l->what, l->lineno);
  l->key = strtok_r(text, " ", &save);
  while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
    if (l->n == TSC_PLAN_MAX_FIELDS) return tsc_fail_msg(err, E2BIG, "plan", "%s line %d: too many fields", l->what, l->lineno);
    if (tsc_field_unescape(tok) < 0)
      return tsc_fail_msg(err, EINVAL, "plan", "%s line %d: bad escape in field %d", l->what, l->lineno, l->n + 1);
    l->f[l->n++] = tok;
  }
  return 0;
}

int tsc_plan_read_records(char *text, const char *magic, struct tsc_plan_line *l, tsc_plan_record_fn fn, void *plan,
                          struct tsc_error *err) {
  char *raw;
  int seen_header = 0;

  l->lineno = 0;
  for (raw = text; raw != NULL && raw[0] != '\0';) {
    char *nl = strchr(raw, '\n');
    if (nl != NULL) *nl = '\0';
    l->lineno++;
    if (raw[0] != '\0' && raw[0] != '#') {
      if (split_line(raw, l, err) < 0) return -1;
      if (!seen_header) {
        if (strcmp(l->key, magic) != 0 || l->n != 1 || strcmp(l->f[0], "1") != 0)
          return tsc_fail_msg(err, EINVAL, "plan", "%s: first line must be `%s 1`", l->what, magic);
        seen_header = 1;
      } else if (fn(plan, l, err) < 0) {
        return -1;
      }
    }
    raw = nl != NULL ? nl + 1 : NULL;
  }
  return seen_header ? 0 : tsc_fail_msg(err, EINVAL, "plan", "%s: empty", l->what);
}

int tsc_plan_read_file(const char *path, size_t max, const char *what, struct tsc_buf *buf, struct tsc_error *err) {
  char chunk[65536];
  ssize_t n;
  int fd;

  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "plan", "open %s `%s`", what, path);
  while ((n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || buf->len + (size_t)n > max || tsc_buf_add(buf, chunk, (size_t)n) < 0) {
      int e = n < 0 ? errno : E2BIG;
      close(fd);
      return tsc_fail(err, e, "plan", "read %s `%s`", what, path);
    }
  }
  close(fd);
  if (buf->data == NULL || memchr(buf->data, '\0', buf->len) != NULL)
    return tsc_fail_msg(err, EINVAL, "plan", "%s `%s`: empty or contains NUL", what, path);
  return 0;
}

static int id_field(const char *s, unsigned long long *out) {
  return tsc_parse_u64(s, 10, out) < 0 || *out >= 0xffffffffULL ? -1 : 0;
}

static int rlimit_record(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  struct tsc_rlimit r;
  if ((r.resource = tsc_rlimit_from_name(l->f[0])) < 0) return tsc_plan_line_bad(err, l, "unknown rlimit");
  if (tsc_parse_rlim(l->f[1], &r.soft) < 0 || tsc_parse_rlim(l->f[2], &r.hard) < 0) return tsc_plan_line_bad(err, l, "bad limit");
  r.name = l->f[0];
  if (p->nrlimits == p->caprlimits) {
    size_t cap = p->caprlimits ? p->caprlimits * 2 : 8;
    struct tsc_rlimit *rl = realloc(p->rlimits, cap * sizeof *rl);
    if (rl == NULL) return tsc_plan_line_bad(err, l, "out of memory");
    p->rlimits = rl, p->caprlimits = cap;
  }
  p->rlimits[p->nrlimits++] = r;
  return 0;
}

static int caps_record(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  int set, i, cap;
  for (set = 0; set < TSC_CAP_SETS; set++)
    if (strcmp(l->f[0], tsc_capset_name(set)) == 0) break;
  if (set == TSC_CAP_SETS) return tsc_plan_line_bad(err, l, "unknown capability set");
  p->has_caps = 1;
  p->caps[set] = 0;
  for (i = 1; i < l->n; i++) {
    if ((cap = tsc_cap_from_name(l->f[i])) < 0) return tsc_plan_line_bad(err, l, "unknown capability");
    p->caps[set] |= 1ULL << cap;
  }
  return 0;
}

static int identity_record(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  unsigned long long a, b;
  const char *k = l->key;
  int i;
  if (strcmp(k, "cwd") == 0) {
    p->cwd = l->f[0];
  } else if (strcmp(k, "no-new-privileges") == 0) {
    p->no_new_privs = 1;
  } else if (strcmp(k, "umask") == 0) {
    if (tsc_parse_u64(l->f[0], 8, &a) < 0 || a > 0777) return tsc_plan_line_bad(err, l, "bad octal mode");
    p->has_umask = 1, p->umask = (mode_t)a;
  } else if (strcmp(k, "user") == 0) {
    if (id_field(l->f[0], &a) < 0 || id_field(l->f[1], &b) < 0) return tsc_plan_line_bad(err, l, "bad uid or gid");
    p->has_user = 1, p->uid = (uid_t)a, p->gid = (gid_t)b;
  } else { /* groups */
    p->has_groups = 1;
    for (i = 0; i < l->n; i++)
      if (tsc_strv_push(&p->groups_text, l->f[i]) < 0) return tsc_plan_line_bad(err, l, "out of memory");
  }
  return 0;
}

static int list_record(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  struct tsc_strv *v = strcmp(l->key, "env") == 0 ? &p->env : strcmp(l->key, "arg") == 0 ? &p->args : &p->cgroups;
  return tsc_strv_push(v, l->f[0]) < 0 ? tsc_plan_line_bad(err, l, "out of memory") : 0;
}

static const struct {
  const char *key;
  int min, max;
  int (*fn)(struct tsc_plan *, struct tsc_plan_line *, struct tsc_error *);
} PROCESS_RECORDS[] = {
    {"cgroup", 1, 1, list_record},
    {"env", 1, 1, list_record},
    {"arg", 1, 1, list_record},
    {"rlimit", 3, 3, rlimit_record},
    {"capabilities", 1, TSC_PLAN_MAX_FIELDS, caps_record},
    {"cwd", 1, 1, identity_record},
    {"no-new-privileges", 0, 0, identity_record},
    {"umask", 1, 1, identity_record},
    {"user", 2, 2, identity_record},
    {"groups", 0, TSC_PLAN_MAX_FIELDS, identity_record},
};

int tsc_plan_process_record(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  size_t i;
  for (i = 0; i < sizeof PROCESS_RECORDS / sizeof PROCESS_RECORDS[0]; i++) {
    if (strcmp(PROCESS_RECORDS[i].key, l->key) != 0) continue;
    if (tsc_plan_line_want(err, l, PROCESS_RECORDS[i].min, PROCESS_RECORDS[i].max) < 0) return -1;
    return PROCESS_RECORDS[i].fn(p, l, err);
  }
  return tsc_plan_line_bad(err, l, "unknown key");
}
