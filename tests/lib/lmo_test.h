/*
 * lmo_test.h -- the harness of every C test in tests/unit (issue 18: one harness).
 *
 * A test calls CHECK / CHECKF / CHECK_EQ / CHECK_CONTAINS as often as it likes, then
 * `return lmo_test_finish();` from main. Every check is counted; a failed one prints
 *     FAIL tests/unit/test_x.c:123: <condition>[: <message>]
 * on stderr and the test goes on. Exit codes, as ctest reads them (SKIP_RETURN_CODE 77,
 * tests/CMakeLists.txt):
 *     0   every check passed, and at least one ran;
 *     1   a check failed, or no check ran at all (a test that checks nothing cannot fail);
 *     77  skipped: lmo_test_skip() (nothing could run), or lmo_test_skip_part() was
 *         called and no check failed (part of the test could not run: not a pass).
 *
 *   CHECK(cond)                 count cond; on failure print its text
 *   CHECKF(cond, fmt, ...)      the same with a printf-style explanation
 *   CHECK_EQ(a, b)              integers, compared as long long; on failure both values
 *   CHECK_CONTAINS(text, sub)   strstr(text, sub) != NULL; on failure the start of text
 *   CHECK_STREQ(s, want)        s (NULL allowed: a failure) equals want; on failure both
 *   FAIL(fmt, ...)              an unconditional failure with its explanation
 *   lmo_test_failures()         failures so far (e.g. to stop a sweep after 20)
 *   lmo_test_skip(fmt, ...)     print "SKIP: ..." and exit 77 now
 *   lmo_test_skip_part(fmt, ...) print "SKIP (part): ..."; lmo_test_finish() gives 77
 *   lmo_test_slow(argc, argv)   1 when run as `test_x --slow`: a test with a slow part runs
 *                               it instead of the quick one, registered by the unit-test
 *                               loop as unit.test_x_slow with label slow
 *   lmo_test_finish()           one summary line on stdout; the exit code above
 *
 * Running programs (the tests of $LMO_BIN):
 *   lmo_test_env(name)          a variable tests/CMakeLists.txt sets (LMO_BIN, LMO_CHECK, ...);
 *                               unset or empty is a failure of the set-up: exit 1 at once
 *   lmo_test_tmpdir()           this process's scratch directory (created on first use);
 *                               removed by lmo_test_finish() when every check passed, kept
 *                               (and named) otherwise
 *   lmo_test_write(name, text)  write tmpdir/name (a failed write is a failed check)
 *   lmo_test_read(name)         tmpdir/name, malloc'ed; "" (malloc'ed) when unreadable
 *   lmo_test_run(prog, args, &out, &err)  run `'prog' args` in tmpdir; stdout and stderr
 *                               into *out / *err (malloc'ed, each may be NULL); returns the
 *                               exit status, -1 when killed by a signal
 *   lmo_test_lmo(args, &out, &err)  lmo_test_run of the program under test, $LMO_BIN
 *   CHECK_LMO(args, code, out_has, err_has)  lmo_test_lmo(args): the exit status must be
 *                               code, stdout contain out_has and stderr err_has (each
 *                               unless NULL); on failure the command and what it printed
 *   CHECK_HOOKS(var, command, cases, n)  a test hook's table (lmo_test_hook_t: hook, file,
 *                               line): with $var = hook, `command file` exits 1 printing
 *                               line; with $var unset, it exits 0 (nothing violated)
 */
#ifndef LMO_TEST_H
#define LMO_TEST_H

#include <stddef.h>

#define CHECK(cond) \
    do { if (cond) lmo_test_pass_(); else lmo_test_fail_(__FILE__, __LINE__, #cond, NULL); } while (0)
#define CHECKF(cond, ...) \
    do { if (cond) lmo_test_pass_(); else lmo_test_fail_(__FILE__, __LINE__, #cond, __VA_ARGS__); } while (0)
#define CHECK_EQ(a, b) \
    lmo_test_check_eq_(__FILE__, __LINE__, #a, #b, (long long) (a), (long long) (b))
#define CHECK_CONTAINS(text, sub) \
    lmo_test_check_contains_(__FILE__, __LINE__, #text, (text), (sub))
#define CHECK_STREQ(s, want) \
    lmo_test_check_streq_(__FILE__, __LINE__, #s, (s), (want))
#define CHECK_LMO(args, code, out_has, err_has) \
    lmo_test_check_lmo_(__FILE__, __LINE__, (args), (code), (out_has), (err_has))
#define CHECK_HOOKS(var, command, cases, n) \
    lmo_test_check_hooks_(__FILE__, __LINE__, (var), (command), (cases), (n))
#define FAIL(...) lmo_test_fail_(__FILE__, __LINE__, NULL, __VA_ARGS__)
#define lmo_test_finish() lmo_test_finish_(__FILE__)

void lmo_test_pass_(void);
void lmo_test_fail_(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lmo_test_check_eq_(const char *file, int line, const char *ta, const char *tb,
                        long long a, long long b);
void lmo_test_check_contains_(const char *file, int line, const char *ttext, const char *text,
                              const char *sub);
void lmo_test_check_streq_(const char *file, int line, const char *ts, const char *s,
                           const char *want);
int lmo_test_failures(void);
void lmo_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void lmo_test_skip_part(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lmo_test_slow(int argc, char **argv);
int lmo_test_finish_(const char *file);

const char *lmo_test_env(const char *name);
const char *lmo_test_tmpdir(void);
void lmo_test_write(const char *name, const char *text);
char *lmo_test_read(const char *name);
int lmo_test_run(const char *prog, const char *args, char **out, char **err);
int lmo_test_lmo(const char *args, char **out, char **err);
void lmo_test_check_lmo_(const char *file, int line, const char *args, int code,
                         const char *out_has, const char *err_has);
typedef struct { const char *hook, *file, *line; } lmo_test_hook_t;
void lmo_test_check_hooks_(const char *file, int line, const char *var, const char *command,
                           const lmo_test_hook_t *cases, size_t n);

#endif
