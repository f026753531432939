#include "procstat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int tsc_proc_start_time(pid_t pid, unsigned long long *out) {
  char path[64], buf[1024], *p;
  ssize_t n;
  int fd, field;

  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return -1;
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  /* The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'. */
  if ((p = strrchr(buf, ')')) == NULL) return -1;
  for (field = 2; field < 22 && p != NULL; field++) p = strchr(p + 1, ' ');
  if (p == NULL) {
    errno = EINVAL;
    return -1;
  }
  *out = strtoull(p + 1, NULL, 10);
  return 0;
}

void tsc_now_rfc3339(char *out, size_t size) {
  struct timespec ts;
  struct tm tm;
  char base[32];
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, size, "%s.%09ldZ", base, ts.tv_nsec);
}
