/*
 * fsops.node: the filesystem calls Node lacks (mknod, the l*xattr family, syncfs), as a small
 * N-API addon. Every call is synchronous and throws an Error whose `code` is the errno name
 * (`EPERM`, `ENOTSUP`, ...), with `errno`, `syscall` and `path` set as Node's own fs errors do.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_ARGS 4
#define XATTR_NAME_LEN 256

struct call {
  napi_env env;
  napi_value args[MAX_ARGS];
  size_t argc;
  char path[PATH_MAX];         /* the first argument */
  char name[XATTR_NAME_LEN];   /* the second one, for the attribute calls */
};

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  char message[PATH_MAX + 128];
  const char *name = strerrorname_np(err);
  napi_value code, msg, error, value;

  snprintf(message, sizeof message, "%s `%s`: %s", syscall, path, strerror(err));
  napi_create_string_utf8(env, name != NULL ? name : "EIO", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_create_int32(env, -err, &value);
  napi_set_named_property(env, error, "errno", value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, error, "syscall", value);
  napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, error, "path", value);
  napi_throw(env, error);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, struct call *call, size_t want) {
  call->env = env;
  call->argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &call->argc, call->args, NULL, NULL) != napi_ok || call->argc < want) {
    napi_throw_type_error(env, "EINVAL", "fsops: too few arguments");
    return -1;
  }
  return 0;
}

static int get_string(struct call *call, size_t index, char *out, size_t size) {
  size_t len = 0;
  if (napi_get_value_string_utf8(call->env, call->args[index], out, size, &len) != napi_ok) {
    napi_throw_type_error(call->env, "EINVAL", "fsops: expected a string argument");
    return -1;
  }
  if (len + 1 >= size) {
    throw_errno(call->env, ENAMETOOLONG, "fsops", out);
    return -1;
  }
  return 0;
}

static int get_uint32(struct call *call, size_t index, uint32_t *out) {
  if (napi_get_value_uint32(call->env, call->args[index], out) != napi_ok) {
    napi_throw_type_error(call->env, "EINVAL", "fsops: expected a number argument");
    return -1;
  }
  return 0;
}

/* The arguments every call starts with: the path, and with `named` the attribute's name; -1 once thrown. */
static int get_path_args(napi_env env, napi_callback_info info, struct call *call, size_t want, int named) {
  if (get_args(env, info, call, want) < 0 || get_string(call, 0, call->path, sizeof call->path) < 0) return -1;
  return named ? get_string(call, 1, call->name, sizeof call->name) : 0;
}

/* Calls fn(path, name, buf, size) with a buffer of the size it asks for, again while the size changes
 * under it (ERANGE); *out is malloc'ed. Returns the length, or -1 with errno set. */
static ssize_t read_sized(ssize_t (*fn)(const char *, const char *, void *, size_t), const char *path, const char *name,
                          char **out) {
  ssize_t size;
  for (;;) {
    if ((size = fn(path, name, NULL, 0)) < 0) return -1;
    if ((*out = malloc(size > 0 ? (size_t) size : 1)) == NULL) {
      errno = ENOMEM;
      return -1;
    }
    if ((size = fn(path, name, *out, (size_t) size)) >= 0) return size;
    free(*out);
    *out = NULL;
    if (errno != ERANGE) return -1;
  }
}

static ssize_t list_names(const char *path, const char *unused, void *buf, size_t size) {
  (void) unused;
  return llistxattr(path, buf, size);
}

static napi_value undefined_value(napi_env env) {
  napi_value value;
  napi_get_undefined(env, &value);
  return value;
}

/* mknod(path, mode, major, minor): mode carries the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
static napi_value fs_mknod(napi_env env, napi_callback_info info) {
  struct call call;
  uint32_t mode, major_id, minor_id;

  if (get_path_args(env, info, &call, 4, 0) < 0)
    return NULL;
  if (get_uint32(&call, 1, &mode) < 0 || get_uint32(&call, 2, &major_id) < 0 || get_uint32(&call, 3, &minor_id) < 0)
    return NULL;
  if (mknod(call.path, (mode_t) mode, makedev(major_id, minor_id)) < 0)
    return throw_errno(env, errno, "mknod", call.path);
  return undefined_value(env);
}

/* lsetxattr(path, name, value: Uint8Array) */
static napi_value fs_lsetxattr(napi_env env, napi_callback_info info) {
  struct call call;
  void *data = NULL;
  size_t length = 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;

  if (get_path_args(env, info, &call, 3, 1) < 0)
    return NULL;
  if (napi_get_typedarray_info(env, call.args[2], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, "EINVAL", "lsetxattr: the value must be a Uint8Array");
    return NULL;
  }
  if (lsetxattr(call.path, call.name, length > 0 ? data : "", length, 0) < 0)
    return throw_errno(env, errno, "lsetxattr", call.path);
  return undefined_value(env);
}

/* lgetxattr(path, name) -> Buffer, or null when the attribute is absent. */
static napi_value fs_lgetxattr(napi_env env, napi_callback_info info) {
  struct call call;
  napi_value result;
  void *copy;
  char *value;
  ssize_t size;

  if (get_path_args(env, info, &call, 2, 1) < 0)
    return NULL;
  if ((size = read_sized(lgetxattr, call.path, call.name, &value)) < 0 && errno == ENODATA) {
    napi_get_null(env, &result);
    return result;
  }
  if (size < 0)
    return throw_errno(env, errno, "lgetxattr", call.path);
  napi_create_buffer_copy(env, (size_t) size, value, &copy, &result);
  free(value);
  return result;
}

/* llistxattr(path) -> string[] */
static napi_value fs_llistxattr(napi_env env, napi_callback_info info) {
  struct call call;
  napi_value result, item;
  char *names;
  ssize_t size, at;
  uint32_t count = 0;

  if (get_path_args(env, info, &call, 1, 0) < 0)
    return NULL;
  if ((size = read_sized(list_names, call.path, NULL, &names)) < 0)
    return throw_errno(env, errno, "llistxattr", call.path);
  napi_create_array(env, &result);
  for (at = 0; at < size; at += (ssize_t) strlen(names + at) + 1) {
    napi_create_string_utf8(env, names + at, NAPI_AUTO_LENGTH, &item);
    napi_set_element(env, result, count++, item);
  }
  free(names);
  return result;
}

/* syncfs(path): flush the filesystem holding path. */
static napi_value fs_syncfs(napi_env env, napi_callback_info info) {
  struct call call;
  int fd, err;

  if (get_path_args(env, info, &call, 1, 0) < 0)
    return NULL;
  fd = open(call.path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return throw_errno(env, errno, "open", call.path);
  err = syncfs(fd) < 0 ? errno : 0;
  close(fd);
  if (err != 0)
    return throw_errno(env, err, "syncfs", call.path);
  return undefined_value(env);
}

static napi_value tsc_fsops_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "mknod", NULL, fs_mknod, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lsetxattr", NULL, fs_lsetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lgetxattr", NULL, fs_lgetxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "llistxattr", NULL, fs_llistxattr, NULL, NULL, NULL, napi_enumerable, NULL },
    { "syncfs", NULL, fs_syncfs, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok)
    return NULL;
  return exports;
}

NAPI_MODULE(fsops, tsc_fsops_init)
