/* The control channel on stdin: lines `target IP PORT` change where new connections go.
 * EOF means the parent went away. A bad line is logged and ignored. */
#include "proxy.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES 256

static char line[LINE_MAX_BYTES];
static size_t have;
static int overlong;

static void handle_line(struct tsc_relay *relay, char *text) {
  char *save = NULL;
  char *verb = strtok_r(text, " \t", &save);
  char *ip = strtok_r(NULL, " \t", &save);
  char *port = strtok_r(NULL, " \t", &save);
  struct tsc_addr target;
  if (verb == NULL) return;
  if (strcmp(verb, "target") != 0 || ip == NULL || port == NULL || strtok_r(NULL, " \t", &save) != NULL) {
    tsc_log("control: unknown line `%s`", verb);
    return;
  }
  if (tsc_parse_addr(ip, port, &target) < 0) {
    tsc_log("control: bad target `%s %s`", ip, port);
    return;
  }
  tsc_relay_set_target(relay, &target);
}

int tsc_control_read(struct tsc_relay *relay) {
  for (;;) {
    ssize_t n = read(STDIN_FILENO, line + have, sizeof line - have);
    if (n == 0) return 1;
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : 1;
    have += (size_t)n;
    for (;;) {
      char *nl = memchr(line, '\n', have);
      size_t used;
      if (nl == NULL) break;
      *nl = '\0';
      if (!overlong) handle_line(relay, line);
      overlong = 0;
      used = (size_t)(nl - line) + 1;
      memmove(line, nl + 1, have - used);
      have -= used;
    }
    if (have == sizeof line) { /* a line longer than any valid one: drop it up to its newline */
      if (!overlong) tsc_log("control: line too long");
      overlong = 1;
      have = 0;
    }
  }
}
