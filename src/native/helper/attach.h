/* The monitor's attach socket: clients send framed input for the container's stdin or terminal
 * (PROTOCOL.md, "Attach"). One client is served at a time; the next waits in the listen backlog. */
#ifndef TSC_ATTACH_H
#define TSC_ATTACH_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Input not yet taken by the container; past this, the client is not read until it drains. */
#define TSC_ATTACH_BUF_MAX (1024 * 1024)
/* The descriptors tsc_attach_poll fills. */
#define TSC_ATTACH_NFDS 2

struct tsc_attach {
  const char *path;
  int listen_fd, client_fd; /* -1 when none */
  int in_fd;                /* the stdin pipe's write end, or a dup of the pty master; -1 once closed */
  int tty;                  /* in_fd is a pty master: `w` sets its size; `e` and a departure leave it open */
  int once;                 /* the first client's `e` or departure closes stdin */
  int ending;               /* close in_fd once the buffer is written */
  char *buf;                /* TSC_ATTACH_BUF_MAX bytes: buf[off..len) waits for in_fd */
  size_t off, len;
  unsigned char head[5];    /* the frame being read: its header, then how much of its payload is left */
  size_t head_len;
  uint32_t left;
  unsigned char size[4];    /* a `w` payload as it arrives */
  size_t size_len;
};

/* Creates the listening socket at path (mode 0600; an old one there is replaced). A path too long for
 * sun_path is bound through /proc/self/fd/<its directory>/<name>. Fails with step `attach`. */
int tsc_attach_listen(struct tsc_attach *a, const char *path, struct tsc_error *err);
/* What clients feed: fd (made non-blocking) is a pipe's write end, or with tty a pty master. */
int tsc_attach_set_input(struct tsc_attach *a, int fd, int tty, int once);
/* Fills TSC_ATTACH_NFDS pollfds (fd -1 where nothing is awaited). */
void tsc_attach_poll(const struct tsc_attach *a, struct pollfd *fds);
/* Acts on what poll reported for those pollfds. Never blocks. */
void tsc_attach_handle(struct tsc_attach *a, const struct pollfd *fds);
/* Closes everything and removes the socket file. */
void tsc_attach_close(struct tsc_attach *a);

#endif
