/* Connections: each accepted client gets a non-blocking connect to the target, then two
 * directions, each moved with splice(2) through its own pipe. A direction that reads EOF passes
 * it on with shutdown(SHUT_WR) once its pipe is empty; an error or reset on either side closes
 * both. Memory is bounded by the pipes: at most PIPE_BYTES in flight per direction. */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define PIPE_BYTES (256 * 1024)
/* Bytes one direction moves before the loop looks at other connections again. */
#define TURN_BYTES (4 * 1024 * 1024)

struct conn;

/* One socket of a connection: 0 is the client, 1 the target. */
struct end {
  struct tsc_watch watch; /* kind TSC_END; first, so a watch pointer is an end pointer */
  struct conn *conn;
  int fd;
  unsigned registered; /* the epoll events asked for, 0 when not in the epoll set */
};

/* Bytes read from end[i] and written to end[1 - i]. */
struct direction {
  int pipe[2];
  size_t buffered; /* bytes in the pipe */
  int eof;         /* the source has ended */
  int shut;        /* the end was passed on */
};

struct conn {
  struct end end[2];
  struct direction dir[2];
  int connecting;
  int dead;
  char target[sizeof ((struct tsc_addr *)0)->text]; /* where it connects, for log lines */
  struct conn *prev, *next; /* every connection */
  struct conn *next_dead;   /* closed during this batch of events */
};

struct tsc_relay {
  int epfd;
  struct tsc_addr target;
  struct conn *conns;
  struct conn *dead;
};

struct tsc_relay *tsc_relay_new(int epfd, const struct tsc_addr *target) {
  struct tsc_relay *relay = calloc(1, sizeof *relay);
  if (relay == NULL) return NULL;
  relay->epfd = epfd;
  relay->target = *target;
  return relay;
}

void tsc_relay_set_target(struct tsc_relay *relay, const struct tsc_addr *target) {
  relay->target = *target;
}

static void conn_close(struct tsc_relay *relay, struct conn *c) {
  if (c->dead) return;
  c->dead = 1;
  for (int i = 0; i < 2; i++) {
    if (c->end[i].fd >= 0) close(c->end[i].fd); /* closing also leaves the epoll set */
    for (int j = 0; j < 2; j++)
      if (c->dir[i].pipe[j] >= 0) close(c->dir[i].pipe[j]);
  }
  if (c->prev != NULL) c->prev->next = c->next;
  else relay->conns = c->next;
  if (c->next != NULL) c->next->prev = c->prev;
  c->next_dead = relay->dead;
  relay->dead = c;
}

void tsc_relay_reap(struct tsc_relay *relay) {
  while (relay->dead != NULL) {
    struct conn *c = relay->dead;
    relay->dead = c->next_dead;
    free(c);
  }
}

void tsc_relay_close_all(struct tsc_relay *relay) {
  while (relay->conns != NULL) conn_close(relay, relay->conns);
  tsc_relay_reap(relay);
}

/* Asks epoll for exactly `events` on an end; an end that waits for nothing leaves the set, so a
 * hang-up it cannot act on yet does not wake the loop again and again. */
static int watch_end(struct tsc_relay *relay, struct end *e, unsigned events) {
  struct epoll_event ev = {.events = events, .data.ptr = &e->watch};
  int op;
  if (events == e->registered) return 0;
  if (events == 0) op = EPOLL_CTL_DEL;
  else op = e->registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(relay->epfd, op, e->fd, &ev) < 0) return -1;
  e->registered = events;
  return 0;
}

/* Moves what it can in direction i. Returns -1 on an error that ends the connection. */
static int pump(struct conn *c, int i) {
  struct direction *d = &c->dir[i];
  int src = c->end[i].fd, dst = c->end[1 - i].fd;
  size_t moved = 0;
  for (;;) {
    int progress = 0;
    if (!d->eof && d->buffered < PIPE_BYTES) {
      ssize_t n = splice(src, NULL, d->pipe[1], NULL, PIPE_BYTES - d->buffered, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        d->buffered += (size_t)n;
        progress = 1;
      } else if (n == 0) {
        d->eof = 1;
        progress = 1;
      } else if (errno != EAGAIN && errno != EINTR) {
        return -1;
      }
    }
    if (d->buffered > 0) {
      ssize_t n = splice(d->pipe[0], NULL, dst, NULL, d->buffered, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        d->buffered -= (size_t)n;
        moved += (size_t)n;
        progress = 1;
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        return -1;
      }
    }
    if (d->eof && d->buffered == 0 && !d->shut) {
      d->shut = 1;
      if (shutdown(dst, SHUT_WR) < 0 && errno != ENOTCONN) return -1;
    }
    if (!progress || moved >= TURN_BYTES) return 0;
  }
}

/* What each end waits for: to be read from when its direction's pipe is empty, to be written to
 * when the other direction's pipe holds bytes. A pipe that holds bytes is drained before its
 * source is read again, so a full pipe never looks like an idle socket. */
static int rewatch(struct tsc_relay *relay, struct conn *c) {
  for (int i = 0; i < 2; i++) {
    const struct direction *in = &c->dir[i], *out = &c->dir[1 - i];
    unsigned events = 0;
    if (!in->eof && in->buffered == 0) events |= EPOLLIN;
    if (out->buffered > 0) events |= EPOLLOUT;
    if (watch_end(relay, &c->end[i], events) < 0) return -1;
  }
  return 0;
}

static void relay_both(struct tsc_relay *relay, struct conn *c) {
  if (pump(c, 0) < 0 || pump(c, 1) < 0) {
    conn_close(relay, c);
    return;
  }
  if (c->dir[0].shut && c->dir[1].shut) {
    conn_close(relay, c);
    return;
  }
  if (rewatch(relay, c) < 0) {
    tsc_log("epoll_ctl: %s", strerror(errno));
    conn_close(relay, c);
  }
}

static void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void tsc_relay_accept(struct tsc_relay *relay, int client) {
  struct conn *c = calloc(1, sizeof *c);
  int upstream;
  if (c == NULL) {
    close(client);
    return;
  }
  for (int i = 0; i < 2; i++) {
    c->end[i].watch.kind = TSC_END;
    c->end[i].conn = c;
    c->dir[i].pipe[0] = c->dir[i].pipe[1] = -1;
  }
  memcpy(c->target, relay->target.text, sizeof c->target);
  c->end[0].fd = client;
  c->end[1].fd = -1;
  c->next = relay->conns;
  if (relay->conns != NULL) relay->conns->prev = c;
  relay->conns = c;
  for (int i = 0; i < 2; i++) {
    if (pipe2(c->dir[i].pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
      tsc_log("connection from a client: pipe: %s", strerror(errno));
      conn_close(relay, c);
      return;
    }
    fcntl(c->dir[i].pipe[1], F_SETPIPE_SZ, PIPE_BYTES);
  }
  upstream = socket(relay->target.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (upstream < 0) {
    tsc_log("connect %s: socket: %s", relay->target.text, strerror(errno));
    conn_close(relay, c);
    return;
  }
  c->end[1].fd = upstream;
  set_nodelay(client);
  set_nodelay(upstream);
  if (connect(upstream, (const struct sockaddr *)&relay->target.ss, relay->target.len) == 0) {
    relay_both(relay, c);
    return;
  }
  if (errno != EINPROGRESS) {
    tsc_log("connect %s: %s", relay->target.text, strerror(errno));
    conn_close(relay, c);
    return;
  }
  /* The client is not read until the target answers: what it sends waits in its socket. */
  c->connecting = 1;
  if (watch_end(relay, &c->end[1], EPOLLOUT) < 0) {
    tsc_log("epoll_ctl: %s", strerror(errno));
    conn_close(relay, c);
  }
}

void tsc_relay_event(struct tsc_relay *relay, struct tsc_watch *watch, unsigned events) {
  struct end *e = (struct end *)watch;
  struct conn *c = e->conn;
  if (c->dead) return;
  if (c->connecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->end[1].fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err == 0 && (events & (EPOLLERR | EPOLLHUP))) err = ECONNREFUSED;
    if (err != 0) {
      tsc_log("connect %s: %s", c->target, strerror(err));
      conn_close(relay, c);
      return;
    }
    c->connecting = 0;
  } else if (events & EPOLLERR) {
    conn_close(relay, c);
    return;
  }
  relay_both(relay, c);
}
