/* The launch plan: what the helper must do, parsed from the wire format of PROTOCOL.md. */
#ifndef TSC_PLAN_H
#define TSC_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"

#define TSC_PLAN_VERSION 1
#define TSC_PLAN_FILE "launch.plan"

enum tsc_ns_kind { TSC_NS_PID, TSC_NS_MOUNT, TSC_NS_UTS, TSC_NS_IPC, TSC_NS_NET, TSC_NS_CGROUP, TSC_NS_COUNT };
enum tsc_ns_mode { TSC_NS_HOST, TSC_NS_NEW, TSC_NS_PATH };

struct tsc_ns {
  enum tsc_ns_mode mode;
  const char *path;
};

enum tsc_step_kind { TSC_STEP_MOUNT, TSC_STEP_DEVICE, TSC_STEP_SYMLINK, TSC_STEP_DIRECTORY };

/* One rootfs step, run in plan order before pivot_root; paths are inside the rootfs. */
struct tsc_step {
  enum tsc_step_kind kind;
  const char *path;   /* mount destination, device node, symlink or directory */
  const char *type;   /* mount: filesystem type ("bind" for bind mounts) */
  const char *source; /* mount: source; symlink: target */
  const char *flags;  /* mount: comma-separated option names, "" for none */
  const char *data;   /* mount: filesystem data */
  char dev_type;      /* device: 'c', 'b' or 'p' */
  unsigned int major, minor;
  mode_t mode; /* device and directory permission bits */
  uid_t uid;
  gid_t gid;
};

struct tsc_rlimit {
  int resource;
  const char *name;
  rlim_t soft, hard;
};

struct tsc_strv {
  const char **items; /* NULL-terminated */
  size_t len, cap;
};

enum tsc_capset { TSC_CAP_BOUNDING, TSC_CAP_EFFECTIVE, TSC_CAP_PERMITTED, TSC_CAP_INHERITABLE, TSC_CAP_AMBIENT, TSC_CAP_SETS };

/* `stdin`: /dev/null (no record), a pipe held open by the monitor, or one closed when the first client leaves. */
enum tsc_stdin_mode { TSC_STDIN_NULL, TSC_STDIN_OPEN, TSC_STDIN_ONCE };

struct tsc_plan {
  struct tsc_ns ns[TSC_NS_COUNT];
  const char *rootfs;
  struct tsc_strv overlay_lower; /* top layer first */
  const char *overlay_upper, *overlay_work;
  const char *rootfs_propagation; /* NULL: rprivate */
  int readonly_rootfs;
  struct tsc_step *steps;
  size_t nsteps, capsteps;
  struct tsc_strv masked, readonly;
  const char *hostname, *domainname;
  struct tsc_rlimit *rlimits;
  size_t nrlimits, caprlimits;
  int has_user;
  uid_t uid;
  gid_t gid;
  int has_groups;
  struct tsc_strv groups_text;
  gid_t *groups;
  size_t ngroups;
  int has_caps;
  uint64_t caps[TSC_CAP_SETS];
  int no_new_privs;
  int has_umask;
  mode_t umask;
  const char *cwd;
  struct tsc_strv env, args;
  const char *log_path, *exit_path;
  struct tsc_strv cgroups; /* directories whose cgroup.procs the container process joins first */
  int init;                 /* PID 1 is a reaping init that runs the command as its child */
  struct tsc_strv sysctl_keys, sysctl_values; /* written under /proc/sys, in plan order */
  unsigned long long log_max_size;            /* 0: the log is never rotated */
  unsigned int log_max_files;                 /* files kept in all, the current one included (>= 1) */
  enum tsc_stdin_mode stdin_mode;             /* what the container's stdin is (without a terminal) */
  int terminal;                               /* a pty of the container's devpts is its stdin, stdout and stderr */
  unsigned int term_rows, term_cols;          /* its first window size; 0: left as the kernel makes it */
  const char *attach_path;                    /* the monitor's attach socket (with `stdin` or `terminal`) */
};

/* Parses the plan text in place (text must stay alive and be NUL-terminated). */
int tsc_plan_parse(struct tsc_plan *plan, char *text, struct tsc_error *err);
/* Reads <bundle>/launch.plan and parses it. */
int tsc_plan_load(struct tsc_plan *plan, const char *bundle, struct tsc_error *err);
/* Prints the parsed plan as one JSON object (for tests and debugging). */
int tsc_plan_dump(const struct tsc_plan *plan, int fd);

const char *tsc_ns_name(enum tsc_ns_kind kind);
const char *tsc_capset_name(enum tsc_capset set);

/* Unescapes one field in place per PROTOCOL.md; returns -1 on a bad escape. */
int tsc_field_unescape(char *field);

#endif
