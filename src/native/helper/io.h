/* Small descriptor helpers shared by the monitor, exec and the rootfs setup. */
#ifndef TSC_IO_H
#define TSC_IO_H

#include <stddef.h>

/* Writes all len bytes of buf, going on after EINTR and waiting (poll) after EAGAIN on a descriptor
 * someone made non-blocking. Returns 0, or -1 with errno (EIO when write wrote nothing). */
int tsc_write_all(int fd, const void *buf, size_t len);

#endif
