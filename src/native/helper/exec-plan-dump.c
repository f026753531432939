/* The parsed exec plan as JSON: lets tests check that the TypeScript writer and this parser agree. */
#include <stdint.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "exec-plan.h"

static void strv(struct tsc_buf *b, const struct tsc_strv *v) {
  size_t i;
  tsc_buf_adds(b, "[");
  for (i = 0; i < v->len; i++) {
    if (i) tsc_buf_adds(b, ",");
    tsc_buf_jsons(b, v->items[i]);
  }
  tsc_buf_adds(b, "]");
}

static void rlim(struct tsc_buf *b, rlim_t v) {
  if (v == RLIM_INFINITY) tsc_buf_adds(b, "\"unlimited\"");
  else tsc_buf_addf(b, "\"%llu\"", (unsigned long long)v);
}

static void caps(struct tsc_buf *b, uint64_t set) {
  int cap, first = 1;
  tsc_buf_adds(b, "[");
  for (cap = 0; cap < 64; cap++) {
    if (!(set & (1ULL << cap))) continue;
    tsc_buf_addf(b, "%s\"%s\"", first ? "" : ",", tsc_cap_name(cap));
    first = 0;
  }
  tsc_buf_adds(b, "]");
}

static void process(struct tsc_buf *b, const struct tsc_plan *p) {
  size_t i;
  int k;
  tsc_buf_adds(b, ",\"cgroups\":"), strv(b, &p->cgroups);
  tsc_buf_adds(b, ",\"rlimits\":[");
  for (i = 0; i < p->nrlimits; i++) {
    tsc_buf_addf(b, "%s{\"type\":\"%s\",\"soft\":", i ? "," : "", p->rlimits[i].name);
    rlim(b, p->rlimits[i].soft), tsc_buf_adds(b, ",\"hard\":"), rlim(b, p->rlimits[i].hard), tsc_buf_adds(b, "}");
  }
  tsc_buf_adds(b, "],\"user\":");
  if (p->has_user) tsc_buf_addf(b, "{\"uid\":%u,\"gid\":%u}", (unsigned)p->uid, (unsigned)p->gid);
  else tsc_buf_adds(b, "null");
  tsc_buf_adds(b, ",\"groups\":");
  if (!p->has_groups) {
    tsc_buf_adds(b, "null");
  } else {
    tsc_buf_adds(b, "[");
    for (i = 0; i < p->ngroups; i++) tsc_buf_addf(b, "%s%u", i ? "," : "", (unsigned)p->groups[i]);
    tsc_buf_adds(b, "]");
  }
  tsc_buf_adds(b, ",\"capabilities\":");
  if (!p->has_caps) {
    tsc_buf_adds(b, "null");
  } else {
    for (k = 0; k < TSC_CAP_SETS; k++) tsc_buf_addf(b, "%s\"%s\":", k ? "," : "{", tsc_capset_name(k)), caps(b, p->caps[k]);
    tsc_buf_adds(b, "}");
  }
  tsc_buf_addf(b, ",\"noNewPrivileges\":%s,\"umask\":", p->no_new_privs ? "true" : "false");
  if (p->has_umask) tsc_buf_addf(b, "%u", (unsigned)p->umask);
  else tsc_buf_adds(b, "null");
  tsc_buf_adds(b, ",\"cwd\":");
  if (p->cwd == NULL) tsc_buf_adds(b, "null");
  else tsc_buf_jsons(b, p->cwd);
  tsc_buf_adds(b, ",\"env\":"), strv(b, &p->env);
  tsc_buf_adds(b, ",\"args\":"), strv(b, &p->args);
}

int tsc_exec_plan_dump(const struct tsc_exec_plan *x, int fd) {
  struct tsc_buf b = {0};
  int k, n = 0;

  tsc_buf_addf(&b, "{\"target\":{\"pid\":%d,\"startTime\":%llu},\"namespaces\":{", (int)x->target_pid, x->target_start);
  for (k = 0; k < TSC_NS_COUNT; k++) {
    if (x->ns_path[k] == NULL) continue;
    tsc_buf_addf(&b, "%s\"%s\":", n++ ? "," : "", tsc_ns_name(k));
    tsc_buf_jsons(&b, x->ns_path[k]);
  }
  tsc_buf_adds(&b, "}");
  process(&b, &x->proc);
  tsc_buf_addf(&b, ",\"tty\":%s,\"detach\":%s}\n", x->tty ? "true" : "false", x->detach ? "true" : "false");
  if (b.data == NULL) return -1;
  return write(fd, b.data, b.len) == (ssize_t)b.len ? 0 : -1;
}
