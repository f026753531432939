#include "io.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

int tsc_write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  ssize_t n;
  while (len > 0) {
    n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) { /* a descriptor shared with a caller that made it non-blocking */
      struct pollfd w = {fd, POLLOUT, 0};
      if (poll(&w, 1, -1) < 0 && errno != EINTR) return -1;
      continue;
    }
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return -1;
    }
    p += n, len -= (size_t)n;
  }
  return 0;
}
