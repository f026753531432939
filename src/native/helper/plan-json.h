/* JSON pieces of the plan dumps (`tsc-helper plan` and `tsc-helper exec-plan`). */
#ifndef TSC_PLAN_JSON_H
#define TSC_PLAN_JSON_H

#include "buf.h"
#include "plan.h"

void tsc_json_str_or_null(struct tsc_buf *b, const char *s);
void tsc_json_strv(struct tsc_buf *b, const struct tsc_strv *v);
/* `,"rlimits":…,"user":…,"groups":…,"capabilities":…,"noNewPrivileges":…,"umask":…,"cwd":…,"env":…,"args":…` */
void tsc_json_process(struct tsc_buf *b, const struct tsc_plan *p);

#endif
