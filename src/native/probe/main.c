/* tsc-probe COMMAND [ARGS] [then COMMAND [ARGS]]...
 *   report             print one JSON object: identity, capabilities, mounts, env, cwd, rlimits, interfaces, pids
 *   sleep SECONDS      print "sleeping SECONDS", sleep; on SIGTERM, SIGINT, SIGHUP, SIGQUIT print
 *                      "signal N" and exit 128+N; SIGUSR1/2 are printed and sleeping goes on
 *   exit CODE          exit with CODE
 *   echo TEXT...       print TEXT on stdout        echo-err TEXT...   print TEXT on stderr
 *   listen PORT        accept TCP connections on PORT, answer each with one line
 *   alloc MB [SECONDS] allocate and touch MB mebibytes, then hold them SECONDS
 *   forks N            fork N children that wait, report how many forks succeeded
 *   write PATH BYTES   write BYTES bytes of 100-byte lines to PATH (`-`: stdout)
 *   ignore-term        ignore SIGTERM and sleep forever
 * Commands run in order; "then" separates them. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

static const struct {
  const char *name;
  int (*fn)(int, char **);
} COMMANDS[] = {
    {"sleep", probe_sleep}, {"exit", probe_exit},   {"echo", probe_echo},   {"echo-err", probe_echo},
    {"listen", probe_listen}, {"alloc", probe_alloc}, {"forks", probe_forks}, {"write", probe_write},
    {"ignore-term", probe_ignore_term},
};

static int run(int argc, char **argv) {
  size_t i;
  if (strcmp(argv[0], "report") == 0) return argc == 1 ? (probe_report(), -1) : 2;
  for (i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (strcmp(argv[0], COMMANDS[i].name) == 0) return COMMANDS[i].fn(argc, argv);
  fprintf(stderr, "probe: unknown command `%s`\n", argv[0]);
  return 2;
}

int main(int argc, char **argv) {
  int start = 1, end, rc = 0;
  if (argc < 2) {
    fprintf(stderr, "usage: probe COMMAND [ARGS] [then COMMAND [ARGS]]...\n");
    return 2;
  }
  while (start < argc) {
    for (end = start; end < argc && strcmp(argv[end], "then") != 0; end++) {
    }
    if (end == start) return 2;
    argv[end < argc ? end : argc] = NULL;
    rc = run(end - start, argv + start);
    fflush(stdout);
    fflush(stderr);
    if (rc >= 0) return rc;
    start = end + 1;
  }
  return 0;
}
