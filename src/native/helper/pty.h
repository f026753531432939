/* A pseudo-terminal of the devpts mounted at /dev/pts in the caller's mount namespace: shared by the
 * launch (the container's own terminal) and exec (a terminal for one more process). */
#ifndef TSC_PTY_H
#define TSC_PTY_H

#include <sys/types.h>

#include "error.h"

/* Opens `/dev/pts/ptmx`, unlocks it and opens the slave from the master (TIOCGPTPEER, so no path
 * inside the container is trusted). With uid not (uid_t)-1 the slave is given to that user. Both
 * descriptors are close-on-exec. Fails with step `tty`. */
int tsc_pty_open(int *master, int *slave, uid_t uid, struct tsc_error *err);
/* Gives the pty the window size of the caller's terminal (stdin's, else stdout's); none: left as is. */
void tsc_pty_copy_winsize(int master);

#endif
