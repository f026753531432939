/* The overlay rootfs: builds the option string (short relative paths when it nears a page) and mounts it. */
#ifndef TSC_OVERLAY_H
#define TSC_OVERLAY_H

#include "buf.h"
#include "error.h"
#include "plan.h"

/* Builds "lowerdir=...,upperdir=...,workdir=..." with every path relative to prefix (strip chars dropped). */
int tsc_overlay_options(const struct tsc_plan *plan, size_t strip, struct tsc_buf *out);
/* The length of the longest directory prefix ("/a/b/") shared by every overlay path. */
size_t tsc_overlay_common_prefix(const struct tsc_plan *plan);
/* Mounts the overlay on plan->rootfs; may chdir. */
int tsc_overlay_mount(const struct tsc_plan *plan, struct tsc_error *err);

#endif
