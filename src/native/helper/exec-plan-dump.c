/* The parsed exec plan as JSON: lets tests check that the TypeScript writer and this parser agree. */
#include <unistd.h>

#include "buf.h"
#include "exec-plan.h"
#include "plan-json.h"

int tsc_exec_plan_dump(const struct tsc_exec_plan *x, int fd) {
  struct tsc_buf b = {0};
  int k, n = 0;

  tsc_buf_addf(&b, "{\"target\":{\"pid\":%d,\"startTime\":%llu},\"namespaces\":{", (int)x->target_pid, x->target_start);
  for (k = 0; k < TSC_NS_COUNT; k++) {
    if (x->ns_path[k] == NULL) continue;
    tsc_buf_addf(&b, "%s\"%s\":", n++ ? "," : "", tsc_ns_name(k));
    tsc_buf_jsons(&b, x->ns_path[k]);
  }
  tsc_buf_adds(&b, "},\"cgroups\":"), tsc_json_strv(&b, &x->proc.cgroups);
  tsc_json_process(&b, &x->proc);
  tsc_buf_addf(&b, ",\"tty\":%s,\"detach\":%s}\n", x->tty ? "true" : "false", x->detach ? "true" : "false");
  if (b.data == NULL) return -1;
  return write(fd, b.data, b.len) == (ssize_t)b.len ? 0 : -1;
}
