/*
 * lmo-vector-run -- runs one test of lmo_add_vector_tests
 * (cmake/LmoVectorTests.cmake): a user's float program on one golden vector.
 *
 *   lmo-vector-run --key KEY [--policy P] [--timeout S] [--lmo PATH] VECTOR -- COMMAND [ARG...]
 *
 * Runs `COMMAND ARG... VECTOR` (stdin /dev/null, stderr passed through, in
 * its own process group) and passes only when the program exits with status
 * 0 within S seconds and the first whitespace-separated token of its stdout
 * is a decision of the expected value's type that equals it. The expected
 * value is fast.P.KEY (lmo's own decision under policy P) with --policy,
 * else expect.KEY (the exact verdict). Types: a JSON integer wants an
 * integer (non-negative for rank-like keys, whose name contains "rank"),
 * a boolean true or false (Python's True/False accepted), the key `class`
 * one of the deep_linear class names, another string that very token; an
 * array or object wants the first JSON value on stdout.
 *
 * On failure it prints, one per line: the program's answer or why there is
 * none (signal, exit status, timeout, empty or unparsable output), expect.KEY,
 * fast.P.KEY, and for matrix_rank / khatri_rao_rank vectors the output of
 * `lmo compare [--policy P] VECTOR` (the certified singular values and how
 * each policy's threshold falls among them), lmo being the program next to
 * this one unless --lmo says otherwise.
 *
 * Exit: 0 pass; 1 the program failed the test; 2 usage, or a vector that
 * cannot be read or lacks the member compared. Needs C and jansson only.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>

extern char **environ;

#define SCALAR_CAP  ((size_t) 64 << 10)   /* stdout kept for a one-token answer */
#define JSON_CAP    ((size_t) 1 << 20)    /* ... for an array or object answer */
#define COMPARE_CAP ((size_t) 256 << 10)  /* ... of `lmo compare` */
#define COMPARE_TIMEOUT 10.0              /* seconds `lmo compare` may take */
#define LINGER_GRACE 2.0   /* seconds to wait for EOF once the program exited */
#define SHOW_MAX 200       /* bytes of output quoted in a message */

enum { PASS = 0, FAILED = 1, EUSAGE = 2 };

static const char *const CLASSES[] = {
    "not_critical", "global_min", "strict_saddle", "bad_saddle",
    "local_min_not_global", "local_max", "unknown", NULL
};

/* ---- running a program with a deadline ---- */

static int chld_pipe[2] = { -1, -1 };   /* SIGCHLD wakes poll() through it */
static volatile sig_atomic_t running_pgid;

static void on_sigchld(int sig)
{
    int saved = errno;
    (void) sig;
    if (write(chld_pipe[1], "c", 1) < 0) { /* full: a wakeup is pending anyway */ }
    errno = saved;
}

/* SIGINT/SIGTERM/SIGHUP: take the program's process group down with us. */
static void on_terminate(int sig)
{
    if (running_pgid > 0)
        kill(-(pid_t) running_pgid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

typedef struct {
    char *out;          /* the first `cap` bytes of stdout (NUL-terminated) */
    size_t len, cap;
    size_t total;       /* bytes written to stdout in all */
    int spawn_errno;    /* could not start the program */
    int timed_out;      /* killed at the deadline */
    int lingered;       /* exited, but something it started held stdout open */
    int status;         /* its wait status */
} run_t;

static void install_handlers(void)
{
    struct sigaction sa;
    if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        perror("lmo-vector-run: pipe");
        exit(EUSAGE);
    }
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = on_terminate;
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void keep(run_t *r, const char *b, size_t n)
{
    size_t room = r->cap - r->len;
    size_t k = n < room ? n : room;
    memcpy(r->out + r->len, b, k);
    r->len += k;
    r->out[r->len] = '\0';
    r->total += n;
}

/* Read what is there; 1 at EOF (or a read error, which ends the output too). */
static int drain(int fd, run_t *r)
{
    char b[65536];
    for (;;) {
        ssize_t n = read(fd, b, sizeof b);
        if (n > 0)
            keep(r, b, (size_t) n);
        else if (n == 0)
            return 1;
        else if (errno == EINTR)
            continue;
        else
            return errno != EAGAIN && errno != EWOULDBLOCK;
    }
}

/* Run argv (searched in PATH) with stdout into r->out (at most cap bytes
 * kept, the rest read and dropped) for at most `timeout` seconds (0: no
 * limit). Returns 0 when the program ran (see r), -1 when it did not start. */
static int run(char *const argv[], size_t cap, double timeout, run_t *r)
{
    int out[2], eof = 0, exited = 0, rc;
    double deadline = timeout > 0 ? now_s() + timeout : 0, exit_time = 0;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, dfl;

    memset(r, 0, sizeof *r);
    r->cap = cap;
    r->out = malloc(cap + 1);
    if (!r->out || pipe2(out, O_CLOEXEC) != 0) {
        r->spawn_errno = errno ? errno : ENOMEM;
        return -1;
    }
    r->out[0] = '\0';
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    sigaddset(&dfl, SIGQUIT);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        r->spawn_errno = rc;
        return -1;
    }
    running_pgid = pid;
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);

    while (!(eof && exited)) {
        struct pollfd p[2] = { { chld_pipe[0], POLLIN, 0 }, { out[0], POLLIN, 0 } };
        double t = now_s(), until = deadline;
        int ms;
        if (exited && (until == 0 || exit_time + LINGER_GRACE < until))
            until = exit_time + LINGER_GRACE;
        if (until > 0 && t >= until) {
            if (exited)
                r->lingered = 1;
            else
                r->timed_out = 1;
            kill(-pid, SIGKILL);
            break;
        }
        ms = until > 0 ? (int) ((until - t) * 1000) + 1 : -1;
        if (poll(p, eof ? 1 : 2, ms) < 0 && errno != EINTR)
            break;
        if (p[0].revents) {
            char c[64];
            while (read(chld_pipe[0], c, sizeof c) > 0) {}
        }
        if (!exited && waitpid(pid, &r->status, WNOHANG) == pid) {
            exited = 1;
            exit_time = now_s();
        }
        if (!eof && p[1].revents)
            eof = drain(out[0], r);
    }
    if (!exited)
        waitpid(pid, &r->status, 0);
    running_pgid = 0;
    close(out[0]);
    return 0;
}

/* ---- what the program printed ---- */

static const char *skip_space(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char) *s))
        s++;
    return s;
}

static size_t token_len(const char *s, const char *end)
{
    const char *t = s;
    while (t < end && !isspace((unsigned char) *t))
        t++;
    return (size_t) (t - s);
}

/* s[0..n) as a quoted, printable, shortened string for a message. */
static void show(FILE *f, const char *s, size_t n)
{
    fputc('\'', f);
    for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '\\' || c == '\'')
            fprintf(f, "\\%c", c);
        else if (isprint(c))
            fputc(c, f);
        else
            fprintf(f, "\\x%02x", c);
    }
    fputs(n > SHOW_MAX ? "'..." : "'", f);
}

static int is_rank_like(const char *key)
{
    return strstr(key, "rank") != NULL;
}

static const char *type_name(const json_t *want, const char *key)
{
    switch (json_typeof(want)) {
    case JSON_INTEGER: return is_rank_like(key) ? "a non-negative integer" : "an integer";
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "a boolean (true or false)";
    case JSON_STRING:  return strcmp(key, "class") == 0 ? "a deep_linear class name" : "a string";
    case JSON_ARRAY:   return "a JSON array";
    case JSON_OBJECT:  return "a JSON object";
    default:           return "a value";
    }
}

/* The decision in s[0..n) (a token, or the start of stdout for an array or
 * object) as a JSON value of want's type, or NULL when it is not one. */
static json_t *parse_decision(const json_t *want, const char *key, const char *s, size_t n)
{
    char tok[64], *end;
    if (json_is_array(want) || json_is_object(want)) {
        json_t *v = json_loadb(s, n, JSON_DISABLE_EOF_CHECK, NULL);
        if (v && json_typeof(v) != json_typeof(want)) {
            json_decref(v);
            v = NULL;
        }
        return v;
    }
    if (memchr(s, '\0', n))
        return NULL;               /* a NUL byte is never part of a decision */
    if (json_is_string(want)) {
        if (strcmp(key, "class") == 0) {
            for (int i = 0; CLASSES[i]; i++)
                if (strlen(CLASSES[i]) == n && memcmp(CLASSES[i], s, n) == 0)
                    return json_string(CLASSES[i]);
            return NULL;
        }
        return json_stringn(s, n);
    }
    if (n == 0 || n >= sizeof tok)
        return NULL;
    memcpy(tok, s, n);
    tok[n] = '\0';
    if (json_is_boolean(want)) {
        if (strcmp(tok, "true") == 0 || strcmp(tok, "True") == 0)
            return json_true();
        if (strcmp(tok, "false") == 0 || strcmp(tok, "False") == 0)
            return json_false();
        return NULL;
    }
    if (json_is_integer(want)) {
        long long v;
        size_t i = (tok[0] == '-' && !is_rank_like(key)) || tok[0] == '+';
        if (!tok[i])
            return NULL;
        for (; tok[i]; i++)
            if (!isdigit((unsigned char) tok[i]))
                return NULL;
        errno = 0;
        v = strtoll(tok, &end, 10);
        return errno ? NULL : json_integer(v);
    }
    if (json_is_real(want)) {
        double v;
        errno = 0;
        v = strtod(tok, &end);
        return errno || *end ? NULL : json_real(v);
    }
    return NULL;
}

/* ---- the vector ---- */

static void print_value(FILE *f, const json_t *v)
{
    if (json_is_string(v)) {
        fputs(json_string_value(v), f);
    } else {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        fputs(s ? s : "?", f);
        free(s);
    }
}

/* "  label:  expect.rank = 5", or "... is absent" */
static void print_member(const char *label, const char *path, const json_t *v)
{
    printf("  %-16s %s", label, path);
    if (v) {
        fputs(" = ", stdout);
        print_value(stdout, v);
        putchar('\n');
    } else {
        puts(": absent from the vector");
    }
}

/* The path of lmo: `given`, or the program `lmo` next to this one. */
static char *lmo_path(const char *given)
{
    char self[PATH_MAX], *slash, *p;
    ssize_t n;
    if (given)
        return strdup(given);
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    slash[1] = '\0';
    if (asprintf(&p, "%slmo", self) < 0)
        return NULL;
    return p;
}

/* What lmo itself says about a rank vector: the certified singular values
 * and each policy's threshold among them. */
static void explain_rank(const char *lmo, const char *policy, const char *vector)
{
    char *argv[6];
    int k = 0;
    run_t r;
    argv[k++] = (char *) lmo;
    argv[k++] = "compare";
    if (policy) {
        argv[k++] = "--policy";
        argv[k++] = (char *) policy;
    }
    argv[k++] = (char *) vector;
    argv[k] = NULL;
    printf("  %s compare%s%s %s:\n", lmo ? lmo : "lmo", policy ? " --policy " : "",
           policy ? policy : "", vector);
    fflush(stdout);
    if (!lmo || access(lmo, X_OK) != 0) {
        printf("    (cannot run lmo: %s)\n", lmo ? strerror(errno) : "no path to it");
        return;
    }
    if (run(argv, COMPARE_CAP, COMPARE_TIMEOUT, &r) != 0) {
        printf("    (cannot run lmo: %s)\n", strerror(r.spawn_errno));
    } else {
        for (const char *p = r.out, *nl; *p; p += nl ? 1 : 0) {
            nl = strchr(p, '\n');
            int n = nl ? (int) (nl - p) : (int) strlen(p);
            printf("    %.*s\n", n, p);
            p += n;
        }
        if (r.timed_out)
            printf("    (lmo compare took more than %.0f s: killed; run it by hand for the rest)\n",
                   COMPARE_TIMEOUT);
        else if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) > 1)
            printf("    (lmo compare failed: wait status %d)\n", r.status);
    }
    free(r.out);
}

static int usage(FILE *f, int code)
{
    fputs("usage: lmo-vector-run --key KEY [--policy P] [--timeout S] [--lmo PATH] VECTOR -- COMMAND [ARG...]\n"
          "\n"
          "Runs COMMAND ARG... VECTOR and checks the first token it prints against\n"
          "fast.P.KEY of the vector (lmo's decision under policy P) with --policy,\n"
          "else against expect.KEY (the exact verdict). The program fails the test\n"
          "when it is killed by a signal, exits non-zero, runs longer than S seconds\n"
          "(default 60; 0: no limit), prints nothing, or prints something that is not\n"
          "a decision of the expected value's type, or another decision.\n"
          "\n"
          "exit: 0 pass, 1 the program failed the test, 2 usage or unreadable vector.\n", f);
    return code;
}

int main(int argc, char **argv)
{
    const char *key = NULL, *policy = NULL, *lmo = NULL, *vector = NULL, *kind, *id;
    double timeout = 60;
    char **cmd = NULL, wantpath[512], exactpath[512];
    json_t *v, *want, *expect, *fast = NULL, *got = NULL;
    json_error_t jerr;
    run_t r;
    int i, ncmd, ok;
    const char *tok, *end;
    size_t toklen;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            cmd = argv + i + 1;
            break;
        }
        if (strcmp(a, "--help") == 0)
            return usage(stdout, PASS);
        if (i + 1 < argc && strcmp(a, "--key") == 0)
            key = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--policy") == 0)
            policy = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--lmo") == 0)
            lmo = argv[++i];
        else if (i + 1 < argc && strcmp(a, "--timeout") == 0) {
            char *e;
            timeout = strtod(argv[++i], &e);
            if (*e || !(timeout >= 0) || timeout > 1e6) {
                fprintf(stderr, "lmo-vector-run: --timeout wants seconds >= 0, not '%s'\n", argv[i]);
                return EUSAGE;
            }
        } else if (a[0] != '-' && !vector)
            vector = a;
        else {
            fprintf(stderr, "lmo-vector-run: unexpected argument '%s'\n", a);
            return usage(stderr, EUSAGE);
        }
    }
    if (!key || !vector || !cmd || !cmd[0]) {
        fprintf(stderr, "lmo-vector-run: %s is missing\n",
                !key ? "--key KEY" : !vector ? "VECTOR" : "-- COMMAND");
        return usage(stderr, EUSAGE);
    }

    v = json_load_file(vector, 0, &jerr);
    if (!v) {
        if (jerr.line > 0)
            fprintf(stderr, "lmo-vector-run: %s: not a readable JSON vector: line %d: %s\n",
                    vector, jerr.line, jerr.text);
        else
            fprintf(stderr, "lmo-vector-run: %s: not a readable JSON vector: %s\n", vector, jerr.text);
        return EUSAGE;
    }
    if (!json_is_object(v)) {
        fprintf(stderr, "lmo-vector-run: %s: not a vector (a JSON object)\n", vector);
        return EUSAGE;
    }
    kind = json_string_value(json_object_get(v, "kind"));
    id = json_string_value(json_object_get(v, "id"));
    expect = json_object_get(json_object_get(v, "expect"), key);
    snprintf(exactpath, sizeof exactpath, "expect.%s", key);
    if (policy) {
        fast = json_object_get(json_object_get(json_object_get(v, "fast"), policy), key);
        snprintf(wantpath, sizeof wantpath, "fast.%s.%s", policy, key);
        want = fast;
    } else {
        snprintf(wantpath, sizeof wantpath, "%s", exactpath);
        want = expect;
    }
    if (!want || json_is_null(want)) {
        fprintf(stderr, "lmo-vector-run: %s: %s is %s: nothing to compare with\n", vector,
                wantpath, want ? "null (undecided)" : "absent");
        return EUSAGE;
    }

    /* the program: COMMAND ARG... VECTOR */
    for (ncmd = 0; cmd[ncmd]; ncmd++) {}
    {
        char **av = malloc((size_t) (ncmd + 2) * sizeof *av);
        if (!av) {
            fputs("lmo-vector-run: out of memory\n", stderr);
            return EUSAGE;
        }
        memcpy(av, cmd, (size_t) ncmd * sizeof *av);
        av[ncmd] = (char *) vector;
        av[ncmd + 1] = NULL;
        install_handlers();
        fflush(stdout);
        run(av, json_is_array(want) || json_is_object(want) ? JSON_CAP : SCALAR_CAP, timeout, &r);
        free(av);
    }

    end = (r.out ? r.out : "") + r.len;
    tok = skip_space(end - r.len, end);
    toklen = json_is_array(want) || json_is_object(want) ? (size_t) (end - tok) : token_len(tok, end);
    if (tok < end)
        got = parse_decision(want, key, tok, toklen);
    ok = !r.spawn_errno && !r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0
         && got && json_equal(got, want);
    if (r.lingered)
        fprintf(stderr, "lmo-vector-run: note: %s exited, but processes it started kept its stdout "
                "open for %.0f s more; they were killed\n", cmd[0], LINGER_GRACE);
    if (ok) {
        printf("ok: %s decided ", id ? id : vector);
        print_value(stdout, got);
        printf(", as %s\n", wantpath);
        json_decref(got);
        json_decref(v);
        free(r.out);
        return PASS;
    }

    printf("FAIL: %s (%s), key %s%s%s\n", id ? id : "?", vector, key,
           policy ? ", policy " : "", policy ? policy : "");
    printf("  %-16s ", "client answer:");
    if (r.spawn_errno) {
        printf("none: cannot run '%s': %s\n", cmd[0], strerror(r.spawn_errno));
    } else if (r.timed_out) {
        printf("none: no exit within %g s (timeout): killed\n", timeout);
    } else if (WIFSIGNALED(r.status)) {
        int s = WTERMSIG(r.status);
        const char *abbrev = sigabbrev_np(s);
        printf("none: killed by signal SIG%s (%s)%s\n", abbrev ? abbrev : "?", strsignal(s),
               WCOREDUMP(r.status) ? ", core dumped" : "");
    } else if (WEXITSTATUS(r.status) != 0) {
        printf("none: exited with status %d", WEXITSTATUS(r.status));
        if (tok < end) {
            fputs(" after printing ", stdout);
            show(stdout, tok, toklen);
        }
        putchar('\n');
    } else if (tok >= end) {
        printf("none: empty output (%zu bytes on stdout, no decision)\n", r.total);
    } else if (!got) {
        fputs("none: printed ", stdout);
        show(stdout, tok, toklen);
        printf(", which is not %s\n", type_name(want, key));
    } else {
        print_value(stdout, got);
        printf("  (wrong: the test wants %s = ", wantpath);
        print_value(stdout, want);
        puts(")");
        if (policy && expect && json_equal(got, expect))
            /* the test asks for the policy's answer, and the client did better than it */
            printf("  %-16s the client is right where the %s policy is wrong: it gives the exact\n"
                   "  %-16s answer. If the client is not meant to behave like %s, test it without "
                   "POLICY\n  %-16s (against the exact verdict)\n", "note:", policy, "", policy, "");
    }
    print_member("exact verdict:", exactpath, expect);
    if (policy)
        print_member("policy decision:", wantpath, fast);
    if (kind && (strcmp(kind, "matrix_rank") == 0 || strcmp(kind, "khatri_rao_rank") == 0)) {
        char *path = lmo_path(lmo);
        explain_rank(path, policy, vector);
        free(path);
    }
    json_decref(got);
    json_decref(v);
    free(r.out);
    return FAILED;
}
