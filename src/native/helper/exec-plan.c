/* Parser of the exec plan (PROTOCOL.md, "Exec"): the launch plan's escaping and its process records. */
#include "exec-plan.h"

#include <errno.h>
#include <string.h>

#include "buf.h"
#include "plan-fields.h"

#define MAX_EXEC_PLAN_BYTES (4 * 1024 * 1024)

static int h_target(struct tsc_exec_plan *x, struct tsc_plan_line *l, struct tsc_error *err) {
  unsigned long long pid, start;
  if (tsc_plan_line_want(err, l, 2, 2) < 0) return -1;
  if (tsc_parse_u64(l->f[0], 10, &pid) < 0 || pid == 0 || pid > 0x3fffffff || tsc_parse_u64(l->f[1], 10, &start) < 0)
    return tsc_plan_line_bad(err, l, "expected a pid and its start time");
  x->target_pid = (pid_t)pid, x->target_start = start;
  return 0;
}

static int h_namespace(struct tsc_exec_plan *x, struct tsc_plan_line *l, struct tsc_error *err) {
  int kind;
  if (tsc_plan_line_want(err, l, 2, 3) < 0) return -1;
  for (kind = 0; kind < TSC_NS_COUNT; kind++)
    if (strcmp(l->f[0], tsc_ns_name(kind)) == 0) break;
  if (kind == TSC_NS_COUNT) return tsc_plan_line_bad(err, l, "unknown namespace kind");
  /* A new namespace would not be the container's: exec only joins. */
  if (l->n != 3 || strcmp(l->f[1], "path") != 0 || l->f[2][0] != '/') return tsc_plan_line_bad(err, l, "expected `path <absolute path>`");
  x->ns_path[kind] = l->f[2];
  return 0;
}

static int parse_line(void *plan, struct tsc_plan_line *l, struct tsc_error *err) {
  struct tsc_exec_plan *x = plan;
  if (strcmp(l->key, "target") == 0) return h_target(x, l, err);
  if (strcmp(l->key, "namespace") == 0) return h_namespace(x, l, err);
  if (strcmp(l->key, "tty") == 0 || strcmp(l->key, "detach") == 0) {
    if (tsc_plan_line_want(err, l, 0, 0) < 0) return -1;
    *(strcmp(l->key, "tty") == 0 ? &x->tty : &x->detach) = 1;
    return 0;
  }
  return tsc_plan_process_record(&x->proc, l, err);
}

static int check(struct tsc_exec_plan *x, struct tsc_error *err) {
  if (x->target_pid == 0) return tsc_fail_msg(err, EINVAL, "plan", "exec plan: `target` is missing");
  if (x->proc.args.len == 0) return tsc_fail_msg(err, EINVAL, "plan", "exec plan: no `arg` given");
  if (x->proc.cwd != NULL && x->proc.cwd[0] != '/') return tsc_fail_msg(err, EINVAL, "plan", "exec plan: `cwd` is not absolute");
  return tsc_plan_groups(&x->proc, err);
}

int tsc_exec_plan_parse(struct tsc_exec_plan *x, char *text, struct tsc_error *err) {
  static struct tsc_plan_line l; /* large: kept off the stack */

  memset(x, 0, sizeof *x);
  memset(&l, 0, sizeof l);
  l.what = "exec plan";
  if (tsc_plan_read_records(text, "tsc-exec", &l, parse_line, x, err) < 0) return -1;
  return check(x, err);
}

int tsc_exec_plan_load(struct tsc_exec_plan *x, const char *path, struct tsc_error *err) {
  struct tsc_buf buf = {0};
  if (tsc_plan_read_file(path, MAX_EXEC_PLAN_BYTES, "exec plan", &buf, err) < 0) return -1;
  return tsc_exec_plan_parse(x, buf.data, err);
}
