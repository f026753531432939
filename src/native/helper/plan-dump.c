/* The parsed plan as JSON: lets tests check that the TypeScript writer and this parser agree. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "plan.h"
#include "plan-json.h"

static void step(struct tsc_buf *b, const struct tsc_step *s) {
  switch (s->kind) {
  case TSC_STEP_MOUNT:
    tsc_buf_adds(b, "{\"op\":\"mount\",\"destination\":");
    tsc_buf_jsons(b, s->path);
    tsc_buf_adds(b, ",\"type\":");
    tsc_buf_jsons(b, s->type);
    tsc_buf_adds(b, ",\"source\":");
    tsc_buf_jsons(b, s->source);
    tsc_buf_adds(b, ",\"flags\":");
    tsc_buf_jsons(b, s->flags);
    tsc_buf_adds(b, ",\"data\":");
    tsc_buf_jsons(b, s->data);
    break;
  case TSC_STEP_DEVICE:
    tsc_buf_adds(b, "{\"op\":\"device\",\"path\":");
    tsc_buf_jsons(b, s->path);
    tsc_buf_addf(b, ",\"type\":\"%c\",\"major\":%u,\"minor\":%u,\"mode\":%u,\"uid\":%u,\"gid\":%u", s->dev_type, s->major,
                 s->minor, (unsigned)s->mode, (unsigned)s->uid, (unsigned)s->gid);
    break;
  case TSC_STEP_SYMLINK:
    tsc_buf_adds(b, "{\"op\":\"symlink\",\"target\":");
    tsc_buf_jsons(b, s->source);
    tsc_buf_adds(b, ",\"path\":");
    tsc_buf_jsons(b, s->path);
    break;
  case TSC_STEP_DIRECTORY:
    tsc_buf_adds(b, "{\"op\":\"directory\",\"path\":");
    tsc_buf_jsons(b, s->path);
    tsc_buf_addf(b, ",\"mode\":%u,\"uid\":%u,\"gid\":%u", (unsigned)s->mode, (unsigned)s->uid, (unsigned)s->gid);
    break;
  }
  tsc_buf_adds(b, "}");
}

int tsc_plan_dump(const struct tsc_plan *p, int fd) {
  struct tsc_buf b = {0};
  size_t i;
  int k;

  tsc_buf_adds(&b, "{\"namespaces\":{");
  for (k = 0, i = 0; k < TSC_NS_COUNT; k++) {
    if (p->ns[k].mode == TSC_NS_HOST) continue;
    tsc_buf_addf(&b, "%s\"%s\":{\"mode\":\"%s\"", i++ ? "," : "", tsc_ns_name(k), p->ns[k].mode == TSC_NS_NEW ? "new" : "path");
    if (p->ns[k].mode == TSC_NS_PATH) tsc_buf_adds(&b, ",\"path\":"), tsc_buf_jsons(&b, p->ns[k].path);
    tsc_buf_adds(&b, "}");
  }
  tsc_buf_adds(&b, "},\"rootfs\":{\"path\":");
  tsc_buf_jsons(&b, p->rootfs);
  tsc_buf_adds(&b, ",\"overlay\":");
  if (p->overlay_upper == NULL) {
    tsc_buf_adds(&b, "null");
  } else {
    tsc_buf_adds(&b, "{\"lower\":"), tsc_json_strv(&b, &p->overlay_lower);
    tsc_buf_adds(&b, ",\"upper\":"), tsc_buf_jsons(&b, p->overlay_upper);
    tsc_buf_adds(&b, ",\"work\":"), tsc_buf_jsons(&b, p->overlay_work), tsc_buf_adds(&b, "}");
  }
  tsc_buf_adds(&b, ",\"propagation\":"), tsc_json_str_or_null(&b, p->rootfs_propagation);
  tsc_buf_addf(&b, ",\"readonly\":%s},\"steps\":[", p->readonly_rootfs ? "true" : "false");
  for (i = 0; i < p->nsteps; i++) {
    if (i) tsc_buf_adds(&b, ",");
    step(&b, &p->steps[i]);
  }
  tsc_buf_adds(&b, "],\"masked\":"), tsc_json_strv(&b, &p->masked);
  tsc_buf_adds(&b, ",\"readonly\":"), tsc_json_strv(&b, &p->readonly);
  tsc_buf_adds(&b, ",\"hostname\":"), tsc_json_str_or_null(&b, p->hostname);
  tsc_buf_adds(&b, ",\"domainname\":"), tsc_json_str_or_null(&b, p->domainname);
  tsc_json_process(&b, p);
  tsc_buf_adds(&b, ",\"log\":"), tsc_buf_jsons(&b, p->log_path);
  tsc_buf_adds(&b, ",\"exitFile\":"), tsc_buf_jsons(&b, p->exit_path);
  tsc_buf_adds(&b, ",\"cgroups\":"), tsc_json_strv(&b, &p->cgroups);
  /* Written only when set, so a plan without them dumps as it always did. */
  if (p->init) tsc_buf_adds(&b, ",\"init\":true");
  if (p->sysctl_keys.len > 0) {
    tsc_buf_adds(&b, ",\"sysctls\":{");
    for (i = 0; i < p->sysctl_keys.len; i++) {
      if (i) tsc_buf_adds(&b, ",");
      tsc_buf_jsons(&b, p->sysctl_keys.items[i]), tsc_buf_adds(&b, ":"), tsc_buf_jsons(&b, p->sysctl_values.items[i]);
    }
    tsc_buf_adds(&b, "}");
  }
  if (p->log_max_size != 0) tsc_buf_addf(&b, ",\"logRotation\":{\"maxSizeBytes\":%llu,\"maxFiles\":%u}", p->log_max_size, p->log_max_files);
  if (p->stdin_mode != TSC_STDIN_NULL) tsc_buf_addf(&b, ",\"stdin\":\"%s\"", p->stdin_mode == TSC_STDIN_OPEN ? "open" : "once");
  if (p->terminal && p->term_rows != 0) tsc_buf_addf(&b, ",\"terminal\":{\"rows\":%u,\"columns\":%u}", p->term_rows, p->term_cols);
  else if (p->terminal) tsc_buf_adds(&b, ",\"terminal\":{}");
  if (p->attach_path != NULL) tsc_buf_adds(&b, ",\"attachSocket\":"), tsc_buf_jsons(&b, p->attach_path);
  if (tsc_buf_adds(&b, "}\n") < 0) return -1;
  return write(fd, b.data, b.len) == (ssize_t)b.len ? 0 : -1;
}
