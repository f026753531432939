#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Frame types (client → monitor): data, window size, end of input. */
#define FRAME_DATA 'd'
#define FRAME_SIZE 'w'
#define FRAME_END 'e'

static int bind_path(int fd, const char *path, struct tsc_error *err) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  const char *name = strrchr(path, '/') + 1;
  char dir[PATH_MAX];
  int dirfd = -1, rc;
  mode_t old;

  if (strlen(path) < sizeof sa.sun_path) {
    memcpy(sa.sun_path, path, strlen(path) + 1);
  } else {
    /* sun_path holds 108 bytes: reach a long path's directory through a descriptor of it. */
    snprintf(dir, sizeof dir, "%.*s", name - path > 1 ? (int)(name - path - 1) : 1, path);
    if ((dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "attach", "open directory `%s`", dir);
    if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/%s", dirfd, name) >= sizeof sa.sun_path) {
      close(dirfd);
      return tsc_fail_msg(err, ENAMETOOLONG, "attach", "attach socket `%s`: name too long", path);
    }
  }
  old = umask(0177);
  rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
  umask(old);
  if (rc < 0) tsc_fail(err, errno, "attach", "bind attach socket `%s`", path);
  if (dirfd >= 0) close(dirfd);
  return rc;
}

int tsc_attach_listen(struct tsc_attach *a, const char *path, struct tsc_error *err) {
  memset(a, 0, sizeof *a);
  a->listen_fd = a->client_fd = a->in_fd = -1;
  if ((a->buf = malloc(TSC_ATTACH_BUF_MAX)) == NULL) return tsc_fail(err, ENOMEM, "attach", "allocate the input buffer");
  /* A socket left behind by the monitor of an earlier run (killed before it could remove it). */
  unlink(path);
  if ((a->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
    return tsc_fail(err, errno, "attach", "create the attach socket");
  if (bind_path(a->listen_fd, path, err) < 0) return -1;
  a->path = path;
  if (listen(a->listen_fd, 16) < 0) return tsc_fail(err, errno, "attach", "listen on `%s`", path);
  return 0;
}

int tsc_attach_set_input(struct tsc_attach *a, int fd, int tty, int once) {
  int flags = fcntl(fd, F_GETFL);
  a->in_fd = fd, a->tty = tty, a->once = once;
  return flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -1 : 0;
}

static void close_input(struct tsc_attach *a) {
  if (a->in_fd >= 0) close(a->in_fd);
  a->in_fd = -1, a->off = a->len = 0;
}

/* Writes what the container takes now; closes stdin once asked to and nothing is left. */
static void flush(struct tsc_attach *a) {
  ssize_t n;
  while (a->in_fd >= 0 && a->off < a->len) {
    n = write(a->in_fd, a->buf + a->off, a->len - a->off);
    if (n > 0) a->off += (size_t)n;
    else if (n < 0 && errno == EINTR) continue;
    else if (n < 0 && errno == EAGAIN) return;
    else close_input(a); /* EPIPE: nobody reads stdin any more; EIO: the terminal is gone */
  }
  a->off = a->len = 0;
  if (a->ending) close_input(a);
}

static void end_input(struct tsc_attach *a) {
  if (a->tty || !a->once) return;
  a->ending = 1;
  flush(a);
}

static void drop_client(struct tsc_attach *a) {
  close(a->client_fd);
  a->client_fd = -1, a->head_len = 0, a->size_len = 0;
  end_input(a);
}

static void frame_done(struct tsc_attach *a) {
  struct winsize ws = {0};
  if (a->head[0] == FRAME_SIZE && a->tty && a->in_fd >= 0) {
    ws.ws_row = (unsigned short)(a->size[0] << 8 | a->size[1]);
    ws.ws_col = (unsigned short)(a->size[2] << 8 | a->size[3]);
    ioctl(a->in_fd, TIOCSWINSZ, &ws);
  } else if (a->head[0] == FRAME_END) {
    end_input(a);
  }
  a->head_len = 0, a->size_len = 0;
}

/* Parses what was read; returns -1 on a frame that breaks the protocol (the client is dropped). */
static int parse(struct tsc_attach *a, const unsigned char *p, size_t n) {
  size_t take;
  while (n > 0) {
    if (a->head_len < sizeof a->head) {
      a->head[a->head_len++] = *p++, n--;
      if (a->head_len < sizeof a->head) continue;
      a->left = (uint32_t)a->head[1] << 24 | (uint32_t)a->head[2] << 16 | (uint32_t)a->head[3] << 8 | a->head[4];
      if ((a->head[0] == FRAME_SIZE && a->left != 4) || (a->head[0] == FRAME_END && a->left != 0) ||
          (a->head[0] != FRAME_DATA && a->head[0] != FRAME_SIZE && a->head[0] != FRAME_END))
        return -1;
      if (a->left == 0) frame_done(a);
      continue;
    }
    take = n < a->left ? n : a->left;
    if (a->head[0] == FRAME_SIZE) {
      memcpy(a->size + a->size_len, p, take), a->size_len += take;
    } else if (a->in_fd >= 0 && !a->ending) { /* data after the end of input, or once stdin is gone, is dropped */
      memcpy(a->buf + a->len, p, take), a->len += take;
    }
    p += take, n -= take, a->left -= (uint32_t)take;
    if (a->left == 0) frame_done(a);
  }
  return 0;
}

static void read_client(struct tsc_attach *a) {
  unsigned char chunk[65536];
  size_t room;
  ssize_t n;
  if (a->off > 0) memmove(a->buf, a->buf + a->off, a->len - a->off), a->len -= a->off, a->off = 0;
  /* Each byte read adds at most one byte to the buffer: reading no more than its room keeps it bounded. */
  if ((room = TSC_ATTACH_BUF_MAX - a->len) == 0) return;
  do n = read(a->client_fd, chunk, room < sizeof chunk ? room : sizeof chunk);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0 || parse(a, chunk, (size_t)n) < 0) drop_client(a);
  flush(a);
}

void tsc_attach_poll(const struct tsc_attach *a, struct pollfd *fds) {
  int full = a->len - a->off >= TSC_ATTACH_BUF_MAX;
  fds[0] = (struct pollfd){a->client_fd >= 0 ? (full ? -1 : a->client_fd) : a->listen_fd, POLLIN, 0};
  fds[1] = (struct pollfd){a->in_fd >= 0 && a->off < a->len ? a->in_fd : -1, POLLOUT, 0};
}

void tsc_attach_handle(struct tsc_attach *a, const struct pollfd *fds) {
  int fd;
  if (fds[1].fd >= 0 && fds[1].revents != 0) flush(a);
  if (fds[0].fd < 0 || fds[0].revents == 0) return;
  if (fds[0].fd == a->client_fd) {
    read_client(a);
  } else if ((fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
    a->client_fd = fd;
  } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
    /* Out of descriptors or memory: the connection stays queued and the listener readable; pausing
     * a moment keeps the loop from spinning until the shortage is over. */
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

void tsc_attach_close(struct tsc_attach *a) {
  if (a->client_fd >= 0) close(a->client_fd);
  if (a->listen_fd >= 0) close(a->listen_fd);
  if (a->path != NULL) unlink(a->path);
  close_input(a);
  free(a->buf);
  memset(a, 0, sizeof *a);
  a->listen_fd = a->client_fd = a->in_fd = -1;
}
