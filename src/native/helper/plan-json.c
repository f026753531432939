#include "plan-json.h"

#include <stdint.h>

#include "caps.h"

void tsc_json_str_or_null(struct tsc_buf *b, const char *s) {
  if (s == NULL) tsc_buf_adds(b, "null");
  else tsc_buf_jsons(b, s);
}

void tsc_json_strv(struct tsc_buf *b, const struct tsc_strv *v) {
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

void tsc_json_process(struct tsc_buf *b, const struct tsc_plan *p) {
  size_t i;
  int k;
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
  tsc_buf_adds(b, ",\"cwd\":"), tsc_json_str_or_null(b, p->cwd);
  tsc_buf_adds(b, ",\"env\":"), tsc_json_strv(b, &p->env);
  tsc_buf_adds(b, ",\"args\":"), tsc_json_strv(b, &p->args);
}
