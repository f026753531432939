/* Field-level helpers of the plan parsers, and what the launch plan and the exec plan share: the
 * record reader (header, comments, escaped fields), the file reader and the process records. */
#ifndef TSC_PLAN_FIELDS_H
#define TSC_PLAN_FIELDS_H

#include <stddef.h>
#include <sys/resource.h>

#include "buf.h"
#include "plan.h"

#define TSC_PLAN_MAX_FIELDS 1024

/* One record: its key, its unescaped fields, and where it stands, for messages. */
struct tsc_plan_line {
  const char *what; /* "plan" or "exec plan" */
  char *key;
  char *f[TSC_PLAN_MAX_FIELDS];
  int n;
  int lineno;
};

/* Called for each record after the header; returns 0 or -1 with err filled. */
typedef int (*tsc_plan_record_fn)(void *plan, struct tsc_plan_line *l, struct tsc_error *err);

int tsc_strv_push(struct tsc_strv *v, const char *item);
/* Parses an unsigned number in the given base; -1 on anything but digits. */
int tsc_parse_u64(const char *s, int base, unsigned long long *out);
/* Parses a decimal limit or "unlimited". */
int tsc_parse_rlim(const char *s, rlim_t *out);
/* RLIMIT_NOFILE and friends by their OCI name; -1 when unknown. */
int tsc_rlimit_from_name(const char *name);
/* Turns the textual `groups` fields into gids. */
int tsc_plan_groups(struct tsc_plan *plan, struct tsc_error *err);

/* Fails with "<what> line N (`key`): <problem>". */
int tsc_plan_line_bad(struct tsc_error *err, const struct tsc_plan_line *l, const char *problem);
/* Fails unless the record has min to max fields. */
int tsc_plan_line_want(struct tsc_error *err, const struct tsc_plan_line *l, int min, int max);
/* Walks the text in place: the first record must be `<magic> 1`; empty lines and `#` comments are skipped;
 * every other record goes to fn. l is the caller's (large: keep it off the stack). */
int tsc_plan_read_records(char *text, const char *magic, struct tsc_plan_line *l, tsc_plan_record_fn fn, void *plan,
                          struct tsc_error *err);
/* Reads a whole plan file of at most max bytes into buf (NUL-terminated, no NUL inside). */
int tsc_plan_read_file(const char *path, size_t max, const char *what, struct tsc_buf *buf, struct tsc_error *err);
/* The process records both plans carry (cgroup, env, arg, rlimit, capabilities, cwd, no-new-privileges,
 * umask, user, groups), each checked for its field count; any other key fails as unknown. */
int tsc_plan_process_record(struct tsc_plan *plan, struct tsc_plan_line *l, struct tsc_error *err);

#endif
