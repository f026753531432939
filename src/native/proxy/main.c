/* tsc-proxy tcp HOST_IP HOST_PORT TARGET_IP TARGET_PORT
 * Listens on HOST_IP:HOST_PORT (0 lets the kernel choose) and relays every connection to the target.
 * Prints {"port":N} once listening, or {"error":{...}} and exits 1. Reads `target IP PORT` lines on
 * stdin; EOF on stdin, SIGTERM or SIGINT close everything and exit 0. It also ends when its parent
 * dies (PR_SET_PDEATHSIG). See src/native/PROTOCOL.md. */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define BACKLOG 511
#define EVENTS 128
/* How long accepting pauses after an error that would repeat at once (out of memory or descriptors). */
#define PAUSE_MS 100

struct proxy {
  int epfd;
  int listener;
  int reserve; /* a spare descriptor given up to refuse a connection when out of descriptors */
  long long paused_until; /* monotonic ms when accepting resumes; 0 while accepting */
  struct tsc_relay *relay;
  struct tsc_watch listen_watch, control_watch, signal_watch;
};

static int listen_on(const struct tsc_addr *host) {
  int one = 1;
  int fd = socket(host->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    tsc_report_error("socket", errno, "socket for %s: %s", host->text, strerror(errno));
    return -1;
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)&host->ss, host->len) < 0) {
    tsc_report_error("bind", errno, "bind %s: %s", host->text, strerror(errno));
    close(fd);
    return -1;
  }
  if (listen(fd, BACKLOG) < 0) {
    tsc_report_error("listen", errno, "listen on %s: %s", host->text, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static int bound_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Stops watching the listener for PAUSE_MS, so a pending connection that cannot be accepted now
 * does not keep the loop busy; the pending connections wait in the backlog. */
static void pause_accepting(struct proxy *p) {
  epoll_ctl(p->epfd, EPOLL_CTL_DEL, p->listener, NULL);
  p->paused_until = now_ms() + PAUSE_MS;
}

static int watch(int epfd, int fd, struct tsc_watch *w) {
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};
  return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* Accepts every pending connection. Out of descriptors, it gives up its spare one to accept and
 * close (refuse) each pending connection, so the listener does not stay readable and spin the
 * loop; other errors pause accepting for a moment. */
static void accept_all(struct proxy *p) {
  /* A `target` line written before a connection was made applies to it. */
  if (tsc_control_read(p->relay) != 0) return;
  for (;;) {
    int err;
    int fd = accept4(p->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      tsc_relay_accept(p->relay, fd);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if ((errno == EMFILE || errno == ENFILE) && p->reserve >= 0) {
      tsc_log("accept: %s; refusing a connection", strerror(errno));
      close(p->reserve);
      fd = accept4(p->listener, NULL, NULL, SOCK_CLOEXEC);
      err = errno;
      if (fd >= 0) close(fd);
      p->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd >= 0) continue;
      if (err != EAGAIN) {
        tsc_log("accept: %s; pausing for %d ms", strerror(err), PAUSE_MS);
        pause_accepting(p);
      }
      return;
    }
    if (errno != EAGAIN) {
      tsc_log("accept: %s; pausing for %d ms", strerror(errno), PAUSE_MS);
      pause_accepting(p);
    }
    return;
  }
}

/* Serves until stdin ends or a signal asks it to stop. */
static void serve(struct proxy *p) {
  struct epoll_event events[EVENTS];
  for (;;) {
    int timeout = -1;
    int n;
    if (p->paused_until != 0) {
      long long left = p->paused_until - now_ms();
      if (left <= 0) {
        p->paused_until = 0;
        if (watch(p->epfd, p->listener, &p->listen_watch) < 0) tsc_log("epoll_ctl: %s", strerror(errno));
        continue;
      }
      timeout = (int)left;
    }
    n = epoll_wait(p->epfd, events, EVENTS, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      tsc_log("epoll_wait: %s", strerror(errno));
      return;
    }
    for (int i = 0; i < n; i++) {
      struct tsc_watch *w = events[i].data.ptr;
      switch (w->kind) {
      case TSC_LISTENER: accept_all(p); break;
      case TSC_CONTROL:
        if (tsc_control_read(p->relay) != 0) return;
        break;
      case TSC_SIGNALS: return;
      case TSC_END: tsc_relay_event(p->relay, w, events[i].events); break;
      }
    }
    tsc_relay_reap(p->relay);
  }
}

static void raise_fd_limit(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int main(int argc, char **argv) {
  struct proxy p = {.listen_watch = {TSC_LISTENER}, .control_watch = {TSC_CONTROL}, .signal_watch = {TSC_SIGNALS}};
  struct tsc_addr host, target;
  const char *parent = getenv("TSC_PROXY_PARENT");
  sigset_t stop;
  int sfd;

  if (argc != 6 || strcmp(argv[1], "tcp") != 0) {
    tsc_report_error("args", EINVAL, "usage: tsc-proxy tcp HOST_IP HOST_PORT TARGET_IP TARGET_PORT");
    return 1;
  }
  if (tsc_parse_addr(argv[2], argv[3], &host) < 0) {
    tsc_report_error("args", EINVAL, "bad host address `%s` port `%s`", argv[2], argv[3]);
    return 1;
  }
  if (tsc_parse_addr(argv[4], argv[5], &target) < 0) {
    tsc_report_error("args", EINVAL, "bad target address `%s` port `%s`", argv[4], argv[5]);
    return 1;
  }
  /* Dies with its parent; a parent that died before prctl took effect is caught just after. */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (parent != NULL ? getppid() != (pid_t)atol(parent) : getppid() == 1) return 0;

  signal(SIGPIPE, SIG_IGN);
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigprocmask(SIG_BLOCK, &stop, NULL);
  raise_fd_limit();

  p.epfd = epoll_create1(EPOLL_CLOEXEC);
  sfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
  p.reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (p.epfd < 0 || sfd < 0) {
    tsc_report_error("epoll", errno, "epoll/signalfd: %s", strerror(errno));
    return 1;
  }
  fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
  if (watch(p.epfd, STDIN_FILENO, &p.control_watch) < 0) {
    tsc_report_error("stdin", errno, "stdin must be a pipe or a socket: %s", strerror(errno));
    return 1;
  }
  p.listener = listen_on(&host);
  if (p.listener < 0) return 1;
  p.relay = tsc_relay_new(p.epfd, &target);
  if (p.relay == NULL || watch(p.epfd, sfd, &p.signal_watch) < 0 || watch(p.epfd, p.listener, &p.listen_watch) < 0) {
    tsc_report_error("epoll", errno ? errno : ENOMEM, "setting up the event loop: %s", strerror(errno ? errno : ENOMEM));
    return 1;
  }
  tsc_report_port(bound_port(p.listener));
  serve(&p);
  close(p.listener);
  tsc_relay_close_all(p.relay);
  free(p.relay);
  return 0;
}
