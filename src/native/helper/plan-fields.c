#include "plan-fields.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
