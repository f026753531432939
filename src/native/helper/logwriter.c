#include "logwriter.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "procstat.h"

/* Appends one record to the batch; `now` is the time the bytes were read. */
static int append_record(struct tsc_log *log, const char *stream, const char *now, const char *data, size_t len) {
  struct tsc_buf *b = &log->record;
  return tsc_buf_adds(b, "{\"log\":") < 0 || tsc_buf_json(b, data, len) < 0 || tsc_buf_adds(b, ",\"stream\":\"") < 0 ||
                 tsc_buf_adds(b, stream) < 0 || tsc_buf_adds(b, "\",\"time\":\"") < 0 || tsc_buf_adds(b, now) < 0 ||
                 tsc_buf_adds(b, "\"}\n") < 0
             ? -1
             : 0;
}

/* Writes the batch in one call: the monitor is the log's only writer, so records stay whole. */
static int write_batch(struct tsc_log *log) {
  size_t off = 0;
  ssize_t n;
  while (off < log->record.len) {
    n = write(log->fd, log->record.data + off, log->record.len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    off += (size_t)n;
  }
  tsc_buf_reset(&log->record);
  return 0;
}

int tsc_log_record(struct tsc_log *log, const char *stream, const char *data, size_t len) {
  char now[48];
  tsc_now_rfc3339(now, sizeof now);
  tsc_buf_reset(&log->record);
  return append_record(log, stream, now, data, len) < 0 ? -1 : write_batch(log);
}

/*
 * Every complete line of what was read becomes a record stamped with the time of the read (as
 * conmon does), and all of them go out in one write, so a chatty container costs one clock read
 * and one write per pipe read rather than per line.
 */
static void flush_lines(struct tsc_log *log, struct tsc_log_stream *s, int all) {
  char now[48];
  size_t start = 0;
  char *nl;
  tsc_now_rfc3339(now, sizeof now);
  tsc_buf_reset(&log->record);
  while (start < s->len && (nl = memchr(s->pending + start, '\n', s->len - start)) != NULL) {
    size_t end = (size_t)(nl - s->pending) + 1;
    append_record(log, s->name, now, s->pending + start, end - start);
    start = end;
  }
  if (start < s->len && (all || (start == 0 && s->len == sizeof s->pending))) {
    append_record(log, s->name, now, s->pending + start, s->len - start);
    start = s->len;
  }
  write_batch(log);
  memmove(s->pending, s->pending + start, s->len - start);
  s->len -= start;
}

int tsc_log_pump(struct tsc_log *log, struct tsc_log_stream *s) {
  ssize_t n = read(s->fd, s->pending + s->len, sizeof s->pending - s->len);
  if (n < 0) return errno == EINTR || errno == EAGAIN ? 0 : -1;
  if (n == 0) {
    flush_lines(log, s, 1);
    close(s->fd);
    s->fd = -1;
    return 0;
  }
  s->len += (size_t)n;
  flush_lines(log, s, 0);
  return 0;
}
