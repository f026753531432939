#include "logwriter.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

/* The pipe size asked for; the kernel may give less (then the default stays). */
#define PIPE_SIZE (1024 * 1024)
/* Where the tag (F or P) sits in a prefix. */
#define TAG_AT (TSC_LOG_PREFIX_LEN - 2)

int tsc_log_open(struct tsc_log *log, const char *path, unsigned long long max_size, unsigned int max_files) {
  struct stat st;
  memset(log, 0, sizeof *log);
  log->path = path, log->max_size = max_size, log->max_files = max_files;
  log->stamp_sec = (time_t)-1;
  if ((log->out = malloc(TSC_LOG_OUT_MAX)) == NULL) return -1;
  if ((log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0) return -1;
  log->size = fstat(log->fd, &st) == 0 ? (unsigned long long)st.st_size : 0;
  return 0;
}

int tsc_log_stream_init(struct tsc_log_stream *s, int fd, const char *name) {
  int flags = fcntl(fd, F_GETFL);
  s->fd = fd, s->name = name, s->len = 0, s->flush_partial = 0;
  /* Both stream names are six letters: every prefix has the same length. */
  if (strlen(name) != 6) {
    errno = EINVAL;
    return -1;
  }
  if ((s->pending = malloc(TSC_LOG_READ_MAX)) == NULL) return -1;
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
  /* A large pipe lets a chatty container run ahead while the monitor writes, and makes reads large. */
  fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE);
  return 0;
}

/*
 * The prefix of the records of one read: `<time> <stream> F `, the time RFC 3339 UTC with nanoseconds
 * (always 9 digits, so every prefix is TSC_LOG_PREFIX_LEN bytes). The date and time of day are formatted
 * once a second, the nanoseconds digit by digit.
 */
static void make_prefix(struct tsc_log *log, const char *stream, char *out) {
  struct timespec ts;
  struct tm tm;
  long ns;
  int i;

  clock_gettime(CLOCK_REALTIME, &ts);
  if (ts.tv_sec != log->stamp_sec) {
    gmtime_r(&ts.tv_sec, &tm);
    /* Years 1000 to 9999 fill the 20 bytes; anything else would not fit RFC 3339 anyway. */
    if (strftime(log->stamp, sizeof log->stamp, "%Y-%m-%dT%H:%M:%S.", &tm) != 20) memcpy(log->stamp, "1970-01-01T00:00:00.", 20);
    log->stamp_sec = ts.tv_sec;
  }
  memcpy(out, log->stamp, 20);
  for (i = 28, ns = ts.tv_nsec; i >= 20; i--, ns /= 10) out[i] = (char)('0' + ns % 10);
  out[29] = 'Z', out[30] = ' ';
  memcpy(out + 31, stream, 6);
  out[37] = ' ', out[TAG_AT] = 'F', out[39] = ' ';
}

static void *close_file(void *fd) {
  close((int)(intptr_t)fd);
  return NULL;
}

/*
 * Lets go of the oldest file, unlinked but still open on fd. Its last close frees its page cache, which
 * for a full file costs about as much as writing it did; a thread of its own does that, so the
 * container's output is not held up meanwhile. One such thread at a time: the one before is joined.
 */
static void drop_file(struct tsc_log *log, int fd) {
  if (log->dropping) pthread_join(log->dropper, NULL);
  log->dropping = pthread_create(&log->dropper, NULL, close_file, (void *)(intptr_t)fd) == 0;
  if (!log->dropping) close(fd);
}

/* log → log.1 → … → log.(max_files-1); the oldest falls off. One file only: it starts over empty.
 * Returns -1 when a step failed; writing goes on either way. */
static int rotate(struct tsc_log *log) {
  char from[PATH_MAX], to[PATH_MAX], fresh[PATH_MAX];
  unsigned int i;
  int fd, oldest;

  log->size = 0; /* even if a step fails: appending goes on rather than spinning on rotation */
  if (log->max_files <= 1) return ftruncate(log->fd, 0);
  /* The new file exists before the oldest goes, so it cannot take over the oldest's inode number:
   * readers tell files apart by inode (and birth time). */
  snprintf(fresh, sizeof fresh, "%s.new", log->path);
  if ((fd = open(fresh, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0) return -1;
  /* The oldest goes first, so no rename replaces a file: on ext4 a rename over an existing file
   * forces the renamed file's data out to disk first, which made every rotation wait on I/O. */
  snprintf(to, sizeof to, "%s.%u", log->path, log->max_files - 1);
  oldest = open(to, O_RDONLY | O_CLOEXEC);
  unlink(to);
  if (oldest >= 0) drop_file(log, oldest);
  for (i = log->max_files - 1; i >= 2; i--) {
    snprintf(from, sizeof from, "%s.%u", log->path, i - 1);
    snprintf(to, sizeof to, "%s.%u", log->path, i);
    rename(from, to);
  }
  snprintf(to, sizeof to, "%s.1", log->path);
  if (rename(log->path, to) < 0 || rename(fresh, log->path) < 0) {
    unlink(fresh);
    close(fd);
    return -1;
  }
  if (dup3(fd, log->fd, O_CLOEXEC) < 0) {
    close(log->fd);
    log->fd = fd;
    return 0;
  }
  close(fd);
  return 0;
}

/*
 * Writes the records built so far, each part in one call: the monitor is the log's only writer, so
 * records stay whole. With a size limit, a file takes whole records up to the limit (a single record
 * larger than the limit goes alone into a fresh file), then the log is rotated. Every record ends with
 * its only "\n", so a record ends where a "\n" is.
 */
static int flush_out(struct tsc_log *log) {
  const char *p = log->out, *nl;
  size_t left = log->out_len, chunk, room;
  int rc = 0;

  while (left > 0) {
    chunk = left;
    if (log->max_size != 0) {
      if (log->size >= log->max_size) rotate(log);
      room = (size_t)(log->max_size - log->size);
      if (left > room) {
        if ((nl = room > 0 ? memrchr(p, '\n', room) : NULL) != NULL) {
          chunk = (size_t)(nl - p) + 1;
        } else if (log->size > 0) {
          rotate(log);
          continue;
        } else {
          nl = memchr(p, '\n', left);
          chunk = nl != NULL ? (size_t)(nl - p) + 1 : left;
        }
      }
    }
    if (tsc_write_all(log->fd, p, chunk) < 0) rc = -1;
    log->size += chunk, p += chunk, left -= chunk;
  }
  log->out_len = 0;
  return rc;
}

/* Adds one record: the prefix with its tag, the text (no "\n" in it) and the "\n" that ends the record. */
static int add_record(struct tsc_log *log, const char *prefix, char tag, const char *text, size_t len) {
  char *o;
  int rc = 0;
  if (log->out_len + TSC_LOG_PREFIX_LEN + len + 1 > TSC_LOG_OUT_MAX) rc = flush_out(log);
  o = log->out + log->out_len;
  memcpy(o, prefix, TSC_LOG_PREFIX_LEN);
  o[TAG_AT] = tag;
  memcpy(o + TSC_LOG_PREFIX_LEN, text, len);
  o[TSC_LOG_PREFIX_LEN + len] = '\n';
  log->out_len += TSC_LOG_PREFIX_LEN + len + 1;
  return rc;
}

/*
 * Every complete line of what was read becomes a record stamped with the time of the read (as
 * conmon does), and all of them go out in one write, so a chatty container costs one clock read
 * and about one write per read of up to TSC_LOG_READ_MAX bytes, never a system call per line. A line
 * longer than TSC_LOG_LINE_MAX goes out in pieces tagged P; so does what is left without a newline
 * when the stream ends.
 */
static int flush_lines(struct tsc_log *log, struct tsc_log_stream *s, int all) {
  char prefix[TSC_LOG_PREFIX_LEN];
  size_t start = 0, avail;
  const char *nl;
  int rc = 0;

  make_prefix(log, s->name, prefix);
  while (start < s->len) {
    avail = s->len - start;
    /* A line of exactly TSC_LOG_LINE_MAX bytes and its newline is still one record. */
    nl = memchr(s->pending + start, '\n', avail <= TSC_LOG_LINE_MAX ? avail : TSC_LOG_LINE_MAX + 1);
    if (nl != NULL) {
      if (add_record(log, prefix, 'F', s->pending + start, (size_t)(nl - (s->pending + start))) < 0) rc = -1;
      start = (size_t)(nl - s->pending) + 1;
    } else if (avail >= TSC_LOG_LINE_MAX || all) {
      size_t len = avail < TSC_LOG_LINE_MAX ? avail : TSC_LOG_LINE_MAX;
      if (add_record(log, prefix, 'P', s->pending + start, len) < 0) rc = -1;
      start += len;
    } else {
      break;
    }
  }
  if (log->out_len > 0 && flush_out(log) < 0) rc = -1;
  memmove(s->pending, s->pending + start, s->len - start);
  s->len -= start;
  return rc;
}

int tsc_log_pump(struct tsc_log *log, struct tsc_log_stream *s) {
  ssize_t n;
  int eof = 0, failed = 0;
  /* Read until the pipe is empty or the buffer full: one batch holds all that waited. */
  while (s->len < TSC_LOG_READ_MAX) {
    n = read(s->fd, s->pending + s->len, TSC_LOG_READ_MAX - s->len);
    if (n > 0) {
      s->len += (size_t)n;
    } else if (n == 0) {
      eof = 1;
      break;
    } else if (errno != EINTR) {
      failed = errno != EAGAIN;
      break;
    }
  }
  /* A failed write of the log does not stop the capture: the container must not block on a full pipe. */
  flush_lines(log, s, eof || failed || s->flush_partial);
  if (eof) {
    close(s->fd);
    s->fd = -1;
  }
  return failed ? -1 : 0;
}
