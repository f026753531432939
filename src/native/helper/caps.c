/* Capabilities without libcap: names, bounding set, capset(2) and the ambient set. */
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const CAP_NAMES[] = {
    "CAP_CHOWN",           "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",      "CAP_FSETID",
    "CAP_KILL",            "CAP_SETGID",       "CAP_SETUID",          "CAP_SETPCAP",     "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",     "CAP_NET_RAW",     "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",       "CAP_SYS_MODULE",   "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",  "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",       "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",         "CAP_LEASE",       "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",      "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",   "CAP_SYSLOG",
    "CAP_WAKE_ALARM",      "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",     "CAP_PERFMON",     "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
#define NCAPS ((int)(sizeof CAP_NAMES / sizeof CAP_NAMES[0]))

int tsc_cap_from_name(const char *name) {
  int i;
  for (i = 0; i < NCAPS; i++)
    if (strcmp(CAP_NAMES[i], name) == 0) return i;
  return -1;
}

const char *tsc_cap_name(int cap) { return cap >= 0 && cap < NCAPS ? CAP_NAMES[cap] : NULL; }

/* The highest capability this kernel knows: PR_CAPBSET_READ fails with EINVAL past it. */
static int last_cap(void) {
  int cap;
  for (cap = 0; cap < 64; cap++)
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0 && errno == EINVAL) break;
  return cap - 1;
}

static uint64_t known_mask(void) {
  int last = last_cap();
  return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

int tsc_caps_drop_bounding(const struct tsc_plan *plan, struct tsc_error *err) {
  int cap, last = last_cap();
  for (cap = 0; cap <= last; cap++) {
    if (plan->caps[TSC_CAP_BOUNDING] & (1ULL << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      return tsc_fail(err, errno, "capabilities", "drop `%s` from the bounding set", tsc_cap_name(cap) ? tsc_cap_name(cap) : "?");
  }
  return 0;
}

int tsc_caps_apply(const struct tsc_plan *plan, struct tsc_error *err) {
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  uint64_t mask = known_mask();
  uint64_t eff = plan->caps[TSC_CAP_EFFECTIVE] & mask, prm = plan->caps[TSC_CAP_PERMITTED] & mask;
  uint64_t inh = plan->caps[TSC_CAP_INHERITABLE] & mask, amb = plan->caps[TSC_CAP_AMBIENT] & mask;
  int cap;

  memset(data, 0, sizeof data);
  data[0].effective = (uint32_t)eff, data[1].effective = (uint32_t)(eff >> 32);
  data[0].permitted = (uint32_t)prm, data[1].permitted = (uint32_t)(prm >> 32);
  data[0].inheritable = (uint32_t)inh, data[1].inheritable = (uint32_t)(inh >> 32);
  if (syscall(SYS_capset, &hdr, data) < 0) return tsc_fail(err, errno, "capabilities", "capset");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return tsc_fail(err, errno, "capabilities", "clear the ambient set");
  for (cap = 0; cap < 64; cap++) {
    if (!(amb & (1ULL << cap))) continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      return tsc_fail(err, errno, "capabilities", "raise `%s` in the ambient set", tsc_cap_name(cap) ? tsc_cap_name(cap) : "?");
  }
  return 0;
}
