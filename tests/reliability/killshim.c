/*
 * killshim -- LD_PRELOAD library for tests/reliability/test_sigkill.sh: a
 * SIGKILL at an exact moment, in the middle of writing an output file.
 *
 * With LMO_KILL_WRITE=K in the environment, the K-th write() to a regular
 * file whose name contains ".json" writes only half of its buffer and then
 * kills the process with SIGKILL -- the worst moment for an output file. An
 * atomic writer (temporary file + rename) leaves a half temporary file and
 * no partial *.json; a writer that writes in place leaves a partial *.json.
 * Timing-based kills rarely land inside a write; this one always does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef ssize_t (*lmo_write_fn)(int, const void *, size_t);

static int is_json_file(int fd)
{
    struct stat st;
    char link[64], name[4096];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (n <= 0) return 0;
    name[n] = '\0';
    return strstr(name, ".json") != NULL;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static lmo_write_fn real;
    static long count;
    if (real == NULL) real = (lmo_write_fn) dlsym(RTLD_NEXT, "write");
    const char *k = getenv("LMO_KILL_WRITE");
    if (k != NULL && is_json_file(fd) && ++count == atol(k)) {
        if (n > 1) real(fd, buf, n / 2);
        kill(getpid(), SIGKILL);
    }
    return real(fd, buf, n);
}
