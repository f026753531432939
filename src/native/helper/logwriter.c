#include "logwriter.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "procstat.h"

int tsc_log_record(struct tsc_log *log, const char *stream, const char *data, size_t len) {
  char now[48];
  size_t off = 0;
  ssize_t n;

  tsc_now_rfc3339(now, sizeof now);
  tsc_buf_reset(&log->record);
  if (tsc_buf_adds(&log->record, "{\"log\":") < 0 || tsc_buf_json(&log->record, data, len) < 0 ||
      tsc_buf_addf(&log->record, ",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, now) < 0)
    return -1;
  /* One write per record: with O_APPEND, a record is never torn by another writer. */
  while (off < log->record.len) {
    n = write(log->fd, log->record.data + off, log->record.len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    off += (size_t)n;
  }
  return 0;
}

static void flush_lines(struct tsc_log *log, struct tsc_log_stream *s, int all) {
  size_t start = 0;
  char *nl;
  while (start < s->len && (nl = memchr(s->pending + start, '\n', s->len - start)) != NULL) {
    size_t end = (size_t)(nl - s->pending) + 1;
    tsc_log_record(log, s->name, s->pending + start, end - start);
    start = end;
  }
  if (start < s->len && (all || (start == 0 && s->len == sizeof s->pending))) {
    tsc_log_record(log, s->name, s->pending + start, s->len - start);
    start = s->len;
  }
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
