#include "exitfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "procstat.h"

int tsc_exitfile_write(const char *path, pid_t pid, unsigned long long start_time, int status) {
  struct tsc_buf b = {0}, tmp = {0};
  char now[48];
  int fd, rc = 0;

  tsc_now_rfc3339(now, sizeof now);
  tsc_buf_addf(&b, "{\"pid\":%d,\"startTime\":%llu,", (int)pid, start_time);
  if (status == -1) tsc_buf_adds(&b, "\"exitCode\":null,\"signal\":null,\"coreDumped\":false");
  else if (WIFSIGNALED(status))
    tsc_buf_addf(&b, "\"exitCode\":null,\"signal\":%d,\"coreDumped\":%s", WTERMSIG(status), WCOREDUMP(status) ? "true" : "false");
  else tsc_buf_addf(&b, "\"exitCode\":%d,\"signal\":null,\"coreDumped\":false", WEXITSTATUS(status));
  tsc_buf_addf(&b, ",\"time\":\"%s\"}\n", now);
  if (tsc_buf_addf(&tmp, "%s.tmp", path) < 0 || b.data == NULL) return -1;
  if ((fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) return -1;
  if (write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd) < 0) rc = -1;
  if (close(fd) < 0) rc = -1;
  if (rc == 0) rc = rename(tmp.data, path);
  if (rc < 0) unlink(tmp.data);
  return rc;
}
