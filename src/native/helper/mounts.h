/* Rootfs steps (mounts, devices, symlinks, directories) and mount option names. */
#ifndef TSC_MOUNTS_H
#define TSC_MOUNTS_H

#include "error.h"
#include "plan.h"

/* Runs one step inside rootfd (before pivot_root). */
int tsc_step_run(int rootfd, const struct tsc_step *step, struct tsc_error *err);
/* MS_PRIVATE|MS_REC for "rprivate" and so on; -1 when name is not a propagation. */
int tsc_mount_propagation(const char *name, unsigned long *flags);

#endif
