#include "report.h"

#include <unistd.h>

#include "buf.h"

int tsc_report_print(const struct tsc_report *r, int fd) {
  struct tsc_buf b = {0};
  if (r->ok) {
    tsc_buf_addf(&b, "{\"ok\":true,\"pid\":%d,\"startTime\":%llu,\"monitorPid\":%d,\"monitorStartTime\":%llu}\n", (int)r->pid,
                 r->start_time, (int)r->monitor_pid, r->monitor_start_time);
  } else {
    tsc_buf_adds(&b, "{\"ok\":false,\"step\":");
    tsc_buf_jsons(&b, r->error.step);
    tsc_buf_addf(&b, ",\"errno\":%d,\"errnoName\":\"%s\",\"message\":", r->error.errnum,
                 r->error.errnum ? tsc_errno_name(r->error.errnum) : "");
    tsc_buf_jsons(&b, r->error.message);
    tsc_buf_adds(&b, "}\n");
  }
  if (b.data == NULL) return -1;
  return write(fd, b.data, b.len) == (ssize_t)b.len ? 0 : -1;
}
