/*
 * lmo/core/common.h -- errors and resource limits shared by every oracle module.
 *
 * Exit-code contract of DESIGN.md: an input defect is LMO_EINPUT (exit 2),
 * a cap or an internal failure is LMO_ELIMIT (exit 3). Every function that
 * can fail fills an lmo_err_t with one line naming the field, e.g.
 *   input.A.data[2][3]: zero denominator in "1/0"
 * The caller (cli/) prefixes the file name.
 */
#ifndef LMO_CORE_COMMON_H
#define LMO_CORE_COMMON_H

#include <stddef.h>
#include <flint/flint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { LMO_OK = 0, LMO_EFAIL = 1, LMO_EINPUT = 2, LMO_ELIMIT = 3 };

typedef struct {
    int code;          /* LMO_OK, LMO_EINPUT or LMO_ELIMIT */
    char msg[512];     /* one line, no trailing newline */
} lmo_err_t;

void lmo_err_clear(lmo_err_t *err);
/* Set code and a printf-style message; returns code. */
int lmo_err_set(lmo_err_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Caps checked before anything large is allocated. */
typedef struct {
    slong max_dim;       /* rows or cols of any matrix */
    slong max_entries;   /* rows*cols of any matrix */
    slong max_bits;      /* bits of a numerator or denominator of one entry */
    slong max_file_bytes;/* size of one input file */
} lmo_limits_t;

#define LMO_DEFAULT_MAX_DIM        (WORD(1) << 20)
#define LMO_DEFAULT_MAX_ENTRIES    (WORD(1) << 24)
#define LMO_DEFAULT_MAX_BITS       (WORD(1) << 17)
#define LMO_DEFAULT_MAX_FILE_BYTES (WORD(1) << 30)

/* Defaults, overridden by the environment variables LMO_MAX_DIM,
 * LMO_MAX_ENTRIES, LMO_MAX_BITS, LMO_MAX_FILE_BYTES when set. */
void lmo_limits_default(lmo_limits_t *lim);

/* The bits named in a comma-separated LIST: bit i for NAMES[i] (NAMES NULL-terminated, at
 * most 30); -1 on a name not among them. For the test hooks LMO_DL_CORRUPT, LMO_MNN_CORRUPT. */
int lmo_names_to_bits(const char *list, const char *const *names);

/* Deterministic PRNG (splitmix64 seeding xoshiro256**): no libc rand, no
 * time, no addresses, identical on every machine. */
typedef struct { ulong s[4]; } lmo_rng_t;
void lmo_rng_seed(lmo_rng_t *r, ulong seed);
ulong lmo_rng_next(lmo_rng_t *r);
/* Uniform in [0, n), n > 0, without modulo bias. */
ulong lmo_rng_below(lmo_rng_t *r, ulong n);
/* Uniform in [lo, hi], lo <= hi: lo + lmo_rng_below(r, hi - lo + 1). */
slong lmo_rng_uniform(lmo_rng_t *r, slong lo, slong hi);

#ifdef __cplusplus
}
#endif
#endif
