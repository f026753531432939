#include "pty.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

int tsc_pty_open(int *master, int *slave, uid_t uid, struct tsc_error *err) {
  int unlock = 0;

  *slave = -1;
  if ((*master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) return tsc_fail(err, errno, "tty", "open `/dev/pts/ptmx`");
  if (ioctl(*master, TIOCSPTLCK, &unlock) < 0) {
    tsc_fail(err, errno, "tty", "unlock the pty");
  } else if ((*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
    tsc_fail(err, errno, "tty", "open the pty's slave");
  } else if (uid != (uid_t)-1 && fchown(*slave, uid, (gid_t)-1) < 0) {
    tsc_fail(err, errno, "tty", "give the pty to uid %u", (unsigned)uid);
  } else {
    return 0;
  }
  if (*slave >= 0) close(*slave);
  close(*master);
  *master = *slave = -1;
  return -1;
}

void tsc_pty_copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}
