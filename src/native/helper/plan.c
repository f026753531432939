/* Parser of the line-oriented launch plan (PROTOCOL.md). */
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plan-fields.h"

#define MAX_PLAN_BYTES (16 * 1024 * 1024)

typedef int (*handler_fn)(struct tsc_plan *, struct tsc_plan_line *, struct tsc_error *);

static int h_namespace(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  int kind;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (strcmp(l->f[0], tsc_ns_name(kind)) == 0) break;
  if (kind == TSC_NS_COUNT) return tsc_plan_line_bad(err, l, "unknown namespace kind");
  if (strcmp(l->f[1], "new") == 0 && l->n == 2) p->ns[kind].mode = TSC_NS_NEW;
  else if (strcmp(l->f[1], "path") == 0 && l->n == 3) p->ns[kind].mode = TSC_NS_PATH, p->ns[kind].path = l->f[2];
  else return tsc_plan_line_bad(err, l, "expected `new` or `path <path>`");
  return 0;
}

static int h_rootfs(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  const char *k = l->key;
  if (strcmp(k, "rootfs") == 0) p->rootfs = l->f[0];
  else if (strcmp(k, "overlay-lower") == 0) return tsc_strv_push(&p->overlay_lower, l->f[0]) < 0 ? tsc_plan_line_bad(err, l, "out of memory") : 0;
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

static int h_step(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  unsigned long long v[5];
  struct tsc_step *s;
  const char *k = l->key;
  enum tsc_step_kind kind = strcmp(k, "mount") == 0     ? TSC_STEP_MOUNT
                            : strcmp(k, "device") == 0  ? TSC_STEP_DEVICE
                            : strcmp(k, "symlink") == 0 ? TSC_STEP_SYMLINK
                                                        : TSC_STEP_DIRECTORY;
  if ((s = new_step(p, kind)) == NULL) return tsc_plan_line_bad(err, l, "out of memory");
  switch (kind) {
  case TSC_STEP_MOUNT:
    s->path = l->f[0], s->type = l->f[1], s->source = l->f[2], s->flags = l->f[3], s->data = l->f[4];
    break;
  case TSC_STEP_DEVICE:
    if (strlen(l->f[1]) != 1 || strchr("cbp", l->f[1][0]) == NULL) return tsc_plan_line_bad(err, l, "device type must be c, b or p");
    if (tsc_parse_u64(l->f[2], 10, &v[0]) < 0 || tsc_parse_u64(l->f[3], 10, &v[1]) < 0 ||
        tsc_parse_u64(l->f[4], 8, &v[2]) < 0 || tsc_parse_u64(l->f[5], 10, &v[3]) < 0 ||
        tsc_parse_u64(l->f[6], 10, &v[4]) < 0 || v[2] > 07777)
      return tsc_plan_line_bad(err, l, "bad number");
    s->path = l->f[0], s->dev_type = l->f[1][0];
    s->major = (unsigned)v[0], s->minor = (unsigned)v[1], s->mode = (mode_t)v[2], s->uid = (uid_t)v[3], s->gid = (gid_t)v[4];
    break;
  case TSC_STEP_SYMLINK:
    s->source = l->f[0], s->path = l->f[1];
    break;
  case TSC_STEP_DIRECTORY:
    if (tsc_parse_u64(l->f[1], 8, &v[0]) < 0 || tsc_parse_u64(l->f[2], 10, &v[1]) < 0 ||
        tsc_parse_u64(l->f[3], 10, &v[2]) < 0 || v[0] > 07777)
      return tsc_plan_line_bad(err, l, "bad number");
    s->path = l->f[0], s->mode = (mode_t)v[0], s->uid = (uid_t)v[1], s->gid = (gid_t)v[2];
    break;
  }
  return 0;
}

static int h_list(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  const char *k = l->key;
  struct tsc_strv *v = strcmp(k, "masked") == 0 ? &p->masked : &p->readonly;
  return tsc_strv_push(v, l->f[0]) < 0 ? tsc_plan_line_bad(err, l, "out of memory") : 0;
}

static int h_process(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  const char *k = l->key;
  (void)err;
  if (strcmp(k, "hostname") == 0) p->hostname = l->f[0];
  else if (strcmp(k, "domainname") == 0) p->domainname = l->f[0];
  else if (strcmp(k, "log") == 0) p->log_path = l->f[0];
  else p->exit_path = l->f[0];
  return 0;
}

static int h_extra(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  unsigned long long v;
  const char *k = l->key;
  if (strcmp(k, "init") == 0) {
    p->init = 1;
  } else if (strcmp(k, "sysctl") == 0) {
    if (l->f[0][0] == '\0' || l->f[0][0] == '.' || strstr(l->f[0], "..") != NULL || strchr(l->f[0], '/') != NULL)
      return tsc_plan_line_bad(err, l, "bad sysctl name");
    if (tsc_strv_push(&p->sysctl_keys, l->f[0]) < 0 || tsc_strv_push(&p->sysctl_values, l->f[1]) < 0)
      return tsc_plan_line_bad(err, l, "out of memory");
  } else if (strcmp(k, "log-max-size") == 0) {
    if (tsc_parse_u64(l->f[0], 10, &v) < 0 || v == 0) return tsc_plan_line_bad(err, l, "bad size");
    p->log_max_size = v;
  } else { /* log-max-files */
    if (tsc_parse_u64(l->f[0], 10, &v) < 0 || v == 0 || v > 1000) return tsc_plan_line_bad(err, l, "bad file count (1 to 1000)");
    p->log_max_files = (unsigned)v;
  }
  return 0;
}

static int h_stdio(struct tsc_plan *p, struct tsc_plan_line *l, struct tsc_error *err) {
  unsigned long long rows, cols;
  const char *k = l->key;
  if (strcmp(k, "stdin") == 0) {
    if (strcmp(l->f[0], "open") == 0) p->stdin_mode = TSC_STDIN_OPEN;
    else if (strcmp(l->f[0], "once") == 0) p->stdin_mode = TSC_STDIN_ONCE;
    else return tsc_plan_line_bad(err, l, "expected `open` or `once`");
  } else if (strcmp(k, "terminal") == 0) {
    p->terminal = 1;
  } else if (strcmp(k, "terminal-size") == 0) {
    if (tsc_parse_u64(l->f[0], 10, &rows) < 0 || tsc_parse_u64(l->f[1], 10, &cols) < 0 || rows == 0 || cols == 0 ||
        rows > 65535 || cols > 65535)
      return tsc_plan_line_bad(err, l, "rows and columns must be 1 to 65535");
    p->term_rows = (unsigned)rows, p->term_cols = (unsigned)cols;
  } else { /* attach */
    if (l->f[0][0] != '/') return tsc_plan_line_bad(err, l, "not an absolute path");
    p->attach_path = l->f[0];
  }
  return 0;
}

static const struct {
  const char *key;
  int min, max;
  handler_fn fn;
} HANDLERS[] = {
    {"namespace", 2, 3, h_namespace},  {"rootfs", 1, 1, h_rootfs},       {"overlay-lower", 1, 1, h_rootfs},
    {"overlay-upper", 1, 1, h_rootfs}, {"overlay-work", 1, 1, h_rootfs}, {"rootfs-propagation", 1, 1, h_rootfs},
    {"readonly-rootfs", 0, 0, h_rootfs}, {"mount", 5, 5, h_step},        {"device", 7, 7, h_step},
    {"symlink", 2, 2, h_step},         {"directory", 4, 4, h_step},      {"masked", 1, 1, h_list},
    {"readonly", 1, 1, h_list},        {"hostname", 1, 1, h_process},    {"domainname", 1, 1, h_process},
    {"log", 1, 1, h_process},          {"exit-file", 1, 1, h_process},   {"init", 0, 0, h_extra},
    {"sysctl", 2, 2, h_extra},         {"log-max-size", 1, 1, h_extra},  {"log-max-files", 1, 1, h_extra},
    {"stdin", 1, 1, h_stdio},          {"terminal", 0, 0, h_stdio},      {"terminal-size", 2, 2, h_stdio},
    {"attach", 1, 1, h_stdio},
};

static int parse_line(void *plan, struct tsc_plan_line *l, struct tsc_error *err) {
  struct tsc_plan *p = plan;
  size_t i;
  for (i = 0; i < sizeof HANDLERS / sizeof HANDLERS[0]; i++) {
    if (strcmp(HANDLERS[i].key, l->key) != 0) continue;
    if (l->n < HANDLERS[i].min || l->n > HANDLERS[i].max) return tsc_plan_line_bad(err, l, "wrong number of fields");
    return HANDLERS[i].fn(p, l, err);
  }
  /* user, capabilities, rlimits, cwd, env, args, cgroups: as the exec plan has them */
  return tsc_plan_process_record(p, l, err);
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
  if ((p->stdin_mode != TSC_STDIN_NULL || p->terminal) != (p->attach_path != NULL))
    return tsc_fail_msg(err, EINVAL, "plan", "plan: `attach` goes with `stdin` or `terminal`, and they need it");
  if (p->term_rows != 0 && !p->terminal) return tsc_fail_msg(err, EINVAL, "plan", "plan: `terminal-size` needs `terminal`");
  return tsc_plan_groups(p, err);
}

int tsc_plan_parse(struct tsc_plan *p, char *text, struct tsc_error *err) {
  struct tsc_plan_line l = {.what = "plan"};

  memset(p, 0, sizeof *p);
  if (tsc_plan_read_records(text, "tsc-plan", &l, parse_line, p, err) < 0) return -1;
  return check(p, err);
}

int tsc_plan_load(struct tsc_plan *p, const char *bundle, struct tsc_error *err) {
  char path[4096];
  struct tsc_buf buf = {0};

  snprintf(path, sizeof path, "%s/%s", bundle, TSC_PLAN_FILE);
  if (tsc_plan_read_file(path, MAX_PLAN_BYTES, "plan", &buf, err) < 0) return -1;
  return tsc_plan_parse(p, buf.data, err);
}
