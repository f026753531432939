#include "overlay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* Overlay splits options on ',' and lowerdir on ':'; a backslash escapes both. */
static int add_path(struct tsc_buf *b, const char *path) {
  for (; *path != '\0'; path++) {
    if ((*path == ',' || *path == ':' || *path == '\\') && tsc_buf_add(b, "\\", 1) < 0) return -1;
    if (tsc_buf_add(b, path, 1) < 0) return -1;
  }
  return 0;
}

int tsc_overlay_options(const struct tsc_plan *p, size_t strip, struct tsc_buf *out) {
  size_t i;
  tsc_buf_reset(out);
  if (tsc_buf_adds(out, "lowerdir=") < 0) return -1;
  for (i = 0; i < p->overlay_lower.len; i++)
    if ((i > 0 && tsc_buf_adds(out, ":") < 0) || add_path(out, p->overlay_lower.items[i] + strip) < 0) return -1;
  if (tsc_buf_adds(out, ",upperdir=") < 0 || add_path(out, p->overlay_upper + strip) < 0) return -1;
  if (tsc_buf_adds(out, ",workdir=") < 0 || add_path(out, p->overlay_work + strip) < 0) return -1;
  return 0;
}

static size_t common(const char *a, const char *b, size_t limit) {
  size_t i = 0;
  while (i < limit && a[i] != '\0' && a[i] == b[i]) i++;
  return i;
}

size_t tsc_overlay_common_prefix(const struct tsc_plan *p) {
  size_t i, len = common(p->overlay_upper, p->overlay_work, strlen(p->overlay_upper));
  for (i = 0; i < p->overlay_lower.len; i++) len = common(p->overlay_upper, p->overlay_lower.items[i], len);
  while (len > 0 && p->overlay_upper[len - 1] != '/') len--;
  return len;
}

int tsc_overlay_mount(const struct tsc_plan *p, struct tsc_error *err) {
  struct tsc_buf opts = {0};
  size_t limit = (size_t)sysconf(_SC_PAGESIZE) - 1, strip;
  char prefix[4096];

  if (tsc_overlay_options(p, 0, &opts) < 0) return tsc_fail(err, ENOMEM, "rootfs", "overlay options");
  if (opts.len > limit) {
    /* Too long for one page: mount from the common parent with relative paths. */
    strip = tsc_overlay_common_prefix(p);
    if (strip == 0 || strip >= sizeof prefix)
      return tsc_fail(err, E2BIG, "rootfs", "overlay options for `%s` (%zu bytes)", p->rootfs, opts.len);
    memcpy(prefix, p->overlay_upper, strip);
    prefix[strip] = '\0';
    if (chdir(prefix) < 0) return tsc_fail(err, errno, "rootfs", "chdir to `%s` for the overlay mount", prefix);
    if (tsc_overlay_options(p, strip, &opts) < 0) return tsc_fail(err, ENOMEM, "rootfs", "overlay options");
    if (opts.len > limit)
      return tsc_fail(err, E2BIG, "rootfs", "overlay options for `%s` (%zu bytes even with relative paths)", p->rootfs, opts.len);
  }
  if (mount("overlay", p->rootfs, "overlay", 0, opts.data) < 0) {
    tsc_fail(err, errno, "rootfs", "mount overlay on `%s`", p->rootfs);
    free(opts.data);
    return -1;
  }
  free(opts.data);
  return 0;
}
