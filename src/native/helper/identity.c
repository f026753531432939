#include "identity.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "process.h"

int tsc_identity_apply(const struct tsc_plan *p, struct tsc_error *err) {
  int cwd_done;
  if (tsc_process_rlimits(p, err) < 0) return -1;
  if (p->has_umask) umask(p->umask);
  /* As root first, so a directory the user may not search is still entered; as the user if that fails. */
  cwd_done = p->cwd == NULL || chdir(p->cwd) == 0;
  if (p->has_caps && tsc_caps_drop_bounding(p, err) < 0) return -1;
  if (tsc_process_user(p, err) < 0) return -1;
  if (p->has_caps && tsc_caps_apply(p, err) < 0) return -1;
  if (!cwd_done && chdir(p->cwd) < 0) return tsc_fail(err, errno, "cwd", "chdir to `%s`", p->cwd);
  if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return tsc_fail(err, errno, "no_new_privs", "set no_new_privs");
  return 0;
}
