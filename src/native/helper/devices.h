/* Device nodes, symlinks and directories inside the rootfs. */
#ifndef TSC_DEVICES_H
#define TSC_DEVICES_H

#include "error.h"
#include "plan.h"

/* Runs a device, symlink or directory step inside rootfd. */
int tsc_devices_make(int rootfd, const struct tsc_step *step, struct tsc_error *err);

#endif
