#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig) { caught = sig; }

static int usage(const char *what) {
  fprintf(stderr, "probe: usage: %s\n", what);
  return 2;
}

int probe_sleep(int argc, char **argv) {
  static const int SIGNALS[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
  struct sigaction sa;
  struct timespec left;
  double seconds;
  size_t i;

  if (argc != 2) return usage("sleep SECONDS");
  seconds = atof(argv[1]);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  for (i = 0; i < sizeof SIGNALS / sizeof SIGNALS[0]; i++) sigaction(SIGNALS[i], &sa, NULL);
  printf("sleeping %s\n", argv[1]); /* handlers are in place: signals now get a reply */
  fflush(stdout);
  left.tv_sec = (time_t)seconds;
  left.tv_nsec = (long)((seconds - (double)left.tv_sec) * 1e9);
  while (nanosleep(&left, &left) < 0 && errno == EINTR) {
    int sig = caught;
    caught = 0;
    printf("signal %d\n", sig);
    fflush(stdout);
    if (sig != SIGUSR1 && sig != SIGUSR2) return 128 + sig;
  }
  return -1;
}

int probe_exit(int argc, char **argv) { return argc == 2 ? atoi(argv[1]) : usage("exit CODE"); }

int probe_echo(int argc, char **argv) {
  FILE *out = strcmp(argv[0], "echo-err") == 0 ? stderr : stdout;
  int i;
  for (i = 1; i < argc; i++) fprintf(out, "%s%s", i > 1 ? " " : "", argv[i]);
  fputc('\n', out);
  return -1;
}

int probe_listen(int argc, char **argv) {
  struct sockaddr_in addr;
  struct utsname u;
  char reply[512];
  int fd, one = 1, port;

  if (argc != 2 || (port = atoi(argv[1])) <= 0 || port > 65535) return usage("listen PORT");
  uname(&u);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 64) < 0) {
    fprintf(stderr, "probe: listen on %d: %s\n", port, strerror(errno));
    return 1;
  }
  printf("listening on %d\n", port);
  fflush(stdout);
  snprintf(reply, sizeof reply, "probe %s %d\n", u.nodename, port);
  for (;;) {
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    ssize_t ignored;
    if (c < 0) continue;
    ignored = write(c, reply, strlen(reply));
    (void)ignored;
    close(c);
  }
}

int probe_alloc(int argc, char **argv) {
  size_t mb, bytes, i;
  char *p;
  if (argc < 2 || argc > 3) return usage("alloc MB [SECONDS]");
  mb = (size_t)strtoull(argv[1], NULL, 10);
  bytes = mb << 20;
  if ((p = malloc(bytes)) == NULL) {
    fprintf(stderr, "probe: alloc %zu MB: %s\n", mb, strerror(errno));
    return 1;
  }
  for (i = 0; i < bytes; i += 4096) p[i] = (char)i;
  printf("allocated %zu MB\n", mb);
  fflush(stdout);
  if (argc == 3) sleep((unsigned)atoi(argv[2]));
  return -1;
}

int probe_forks(int argc, char **argv) {
  int n, k, gate[2];
  if (argc != 2 || (n = atoi(argv[1])) < 0) return usage("forks N");
  if (pipe(gate) < 0) return 1;
  for (k = 0; k < n; k++) {
    pid_t pid = fork();
    char byte;
    if (pid < 0) {
      fprintf(stderr, "probe: fork %d: %s\n", k + 1, strerror(errno));
      break;
    }
    if (pid == 0) {
      close(gate[1]);
      _exit(read(gate[0], &byte, 1) < 0 ? 1 : 0); /* returns at EOF, when the parent closes the gate */
    }
  }
  close(gate[1]);
  while (wait(NULL) > 0) {
  }
  printf("forked %d of %d\n", k, n);
  return k == n ? -1 : 1;
}

int probe_write(int argc, char **argv) {
  char chunk[65536];
  long long total, done = 0;
  int fd;
  if (argc != 3 || (total = atoll(argv[2])) < 0) return usage("write PATH BYTES");
  /* 100-byte lines (99 'x' and a newline), so a log capturing the bytes sees ordinary lines. */
  memset(chunk, 'x', sizeof chunk);
  for (size_t i = 99; i < sizeof chunk; i += 100) chunk[i] = '\n';
  /* `-` is standard output; the closing message then goes to standard error. */
  int to_stdout = strcmp(argv[1], "-") == 0;
  if (to_stdout) {
    fd = dup(STDOUT_FILENO);
  } else {
    fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    fprintf(stderr, "probe: write %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  while (done < total) {
    size_t want = total - done < (long long)sizeof chunk ? (size_t)(total - done) : sizeof chunk;
    ssize_t n = write(fd, chunk, want);
    if (n < 0) {
      fprintf(stderr, "probe: write %s: %s\n", argv[1], strerror(errno));
      close(fd);
      return 1;
    }
    done += n;
  }
  close(fd);
  fprintf(to_stdout ? stderr : stdout, "wrote %lld bytes to %s\n", done, argv[1]);
  return -1;
}

int probe_ignore_term(int argc, char **argv) {
  (void)argc, (void)argv;
  signal(SIGTERM, SIG_IGN);
  printf("ignoring SIGTERM\n");
  fflush(stdout);
  for (;;) pause();
}
