/* The container log: one JSON object per line and stream (see PROTOCOL.md). */
#ifndef TSC_LOGWRITER_H
#define TSC_LOGWRITER_H

#include <stddef.h>

#include "buf.h"

/* A line longer than this is written as several records, all but the last without "\n". */
#define TSC_LOG_LINE_MAX 16384

struct tsc_log_stream {
  int fd; /* read end of the pipe, -1 once it reached EOF */
  const char *name;
  char pending[TSC_LOG_LINE_MAX];
  size_t len;
};

struct tsc_log {
  int fd;
  struct tsc_buf record;
};

/* Reads what the pipe holds and writes the complete lines; at EOF writes the rest and closes the pipe. */
int tsc_log_pump(struct tsc_log *log, struct tsc_log_stream *s);
/* Writes one record now. */
int tsc_log_record(struct tsc_log *log, const char *stream, const char *data, size_t len);

#endif
