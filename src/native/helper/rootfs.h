/* The container's root: propagation, overlay or bind, pivot_root, masked and read-only paths. */
#ifndef TSC_ROOTFS_H
#define TSC_ROOTFS_H

#include "error.h"
#include "plan.h"

/* In the new mount namespace: sets propagation, mounts the rootfs; returns an O_PATH fd of it. */
int tsc_rootfs_prepare(const struct tsc_plan *plan, struct tsc_error *err);
/* Makes rootfd the root and detaches the old one. */
int tsc_rootfs_pivot(const struct tsc_plan *plan, int rootfd, struct tsc_error *err);
/* After pivot_root: masked paths, read-only paths, read-only rootfs. */
int tsc_rootfs_protect(const struct tsc_plan *plan, struct tsc_error *err);

#endif
