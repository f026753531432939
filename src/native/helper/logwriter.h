/* The container log: one line per record, `<time> <stream> <F|P> <text>`, rotated by size (see PROTOCOL.md). */
#ifndef TSC_LOGWRITER_H
#define TSC_LOGWRITER_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

/* A line longer than this is written as several records, all but the last tagged P (partial). */
#define TSC_LOG_LINE_MAX 16384
/* What one pump of a stream reads at most: the records of one read share one time stamp. */
#define TSC_LOG_READ_MAX (1024 * 1024)
/* `2024-05-01T10:00:00.123456789Z stdout F `: the time, the stream and the tag, each followed by a space. */
#define TSC_LOG_PREFIX_LEN 40
/* The records built before they are written: a read of short lines can grow by a prefix per line. */
#define TSC_LOG_OUT_MAX (2 * 1024 * 1024)

struct tsc_log_stream {
  int fd; /* read end of the pipe (non-blocking), -1 once it reached EOF */
  const char *name; /* "stdout" or "stderr" */
  char *pending;    /* TSC_LOG_READ_MAX bytes: what was read and is not written yet */
  size_t len;
  int flush_partial; /* a terminal: what is left without a newline goes out after every read, as P */
};

struct tsc_log {
  int fd;
  const char *path;
  unsigned long long size;     /* bytes in the current file */
  unsigned long long max_size; /* 0: never rotated */
  unsigned int max_files;      /* files kept in all, the current one included; 0 counts as 1 */
  char *out;                   /* TSC_LOG_OUT_MAX bytes of whole records not written yet */
  size_t out_len;
  pthread_t dropper; /* closes the oldest file after a rotation (see drop_file) */
  int dropping;       /* dropper was started and is not joined yet */
  time_t stamp_sec;   /* the second `stamp` holds, formatted once per second */
  char stamp[32];     /* `2024-05-01T10:00:00.` */
};

/* Opens (appends to) the log at path; with max_size, rotates it to path.1 ... path.(max_files-1). */
int tsc_log_open(struct tsc_log *log, const char *path, unsigned long long max_size, unsigned int max_files);
/* Sets up a stream reading the pipe fd: its buffer, a non-blocking fd and a pipe as large as allowed.
 * A pty master works too (EIO once no slave is left ends it like EOF); set flush_partial for it. */
int tsc_log_stream_init(struct tsc_log_stream *s, int fd, const char *name);
/* Reads what the pipe holds and writes the complete lines; at EOF writes the rest and closes the pipe. */
int tsc_log_pump(struct tsc_log *log, struct tsc_log_stream *s);

#endif
