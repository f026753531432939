/* tsc-proxy: one published TCP port, relayed to a container's address with splice(2).
 * The wire format (arguments, stdout, stdin) is in src/native/PROTOCOL.md. */
#ifndef TSC_PROXY_H
#define TSC_PROXY_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/* An address given on the command line or on stdin. */
struct tsc_addr {
  struct sockaddr_storage ss;
  socklen_t len;
  char text[64]; /* "10.0.0.2:80" or "[fd00::2]:80", for log lines */
};

/* What epoll hands back: every registered descriptor points at one of these. */
enum tsc_kind { TSC_LISTENER, TSC_CONTROL, TSC_SIGNALS, TSC_END };

struct tsc_watch {
  enum tsc_kind kind;
};

/* Parses a numeric IPv4/IPv6 address and a port (0–65535); returns -1 when either is invalid. */
int tsc_parse_addr(const char *ip, const char *port, struct tsc_addr *out);

/* One line of JSON on stdout ({"port":N}) or a failure line; both flush at once. */
void tsc_report_port(int port);
void tsc_report_error(const char *step, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A log line on stderr, prefixed "tsc-proxy: ". */
void tsc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The relay: accepted connections and their two directions. */
struct tsc_relay;

struct tsc_relay *tsc_relay_new(int epfd, const struct tsc_addr *target);
void tsc_relay_set_target(struct tsc_relay *relay, const struct tsc_addr *target);
/* Takes an accepted, non-blocking client socket: connects to the target and relays once connected. */
void tsc_relay_accept(struct tsc_relay *relay, int client);
/* Handles an epoll event of one of the relay's descriptors. */
void tsc_relay_event(struct tsc_relay *relay, struct tsc_watch *watch, unsigned events);
/* Closes every connection. */
void tsc_relay_close_all(struct tsc_relay *relay);
/* Connections whose closing waits until the current batch of events is handled. */
void tsc_relay_reap(struct tsc_relay *relay);

/* The control channel on stdin: `target IP PORT` lines. Returns 0 while it is open, 1 at EOF. */
int tsc_control_read(struct tsc_relay *relay);

#endif
