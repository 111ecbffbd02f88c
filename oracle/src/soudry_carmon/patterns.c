/*
 * Ranks of G1^p = A1^p o X over activation patterns (see
 * lmo/soudry_carmon/patterns.h): the modular engine, its exact confirmation of every dependency, and the
 * three enumeration modes.
 */
#include <stdlib.h>
#include <string.h>
#include <flint/ulong_extras.h>
#include <flint/fmpz_vec.h>
#include "lmo/soudry_carmon/patterns.h"
#include "lmo/soudry_carmon/hypotheses.h"
#include "lmo/linalg/khatri_rao.h"

#define MAX_TRIES 8

/* ---------------------------------------------------------------- input */

void lmo_patterns_input_init(lmo_patterns_input_t in, slong d0, slong d1, slong N)
{
    memset(in, 0, sizeof *in);
    fmpq_mat_init(in->X, d0, N);
    fmpq_mat_init(in->E, d1, N);
    for (slong i = 0; i < d1; i++)
        for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(in->E, i, n));
    fmpq_init(in->s);
    fmpq_one(in->s);
    in->d1 = d1;
    in->mode = LMO_PATTERNS_EXHAUSTIVE;
    in->list_cap = LMO_PATTERNS_DEFAULT_LIST;
}

void lmo_patterns_input_clear(lmo_patterns_input_t in)
{
    fmpq_mat_clear(in->X);
    fmpq_mat_clear(in->E);
    fmpq_clear(in->s);
}

/* --------------------------------------------------------------- result */

void lmo_patterns_result_init(lmo_patterns_result_t res)
{
    memset(res, 0, sizeof *res);
}

static void result_reset_listing(lmo_patterns_result_t res)
{
    for (slong t = 0; t < res->nlisted; t++) {
        flint_free(res->listed[t].signs);
        lmo_rank_clear(res->listed[t].cert);
    }
    res->nlisted = 0;
}

void lmo_patterns_result_clear(lmo_patterns_result_t res)
{
    result_reset_listing(res);
    flint_free(res->listed);
    flint_free(res->rank_count);
    memset(res, 0, sizeof *res);
}

void lmo_patterns_result_start(lmo_patterns_result_t res, slong d0, slong d1, slong N,
                               lmo_patterns_mode_t mode, slong list_cap)
{
    result_reset_listing(res);
    flint_free(res->listed);
    flint_free(res->rank_count);
    res->d0 = d0; res->d1 = d1; res->N = N; res->mode = mode;
    res->checked = res->full_rank = res->deficient = 0;
    res->min_rank = N;
    res->rank_count = flint_calloc(N + 1, sizeof(ulong));
    res->list_cap = list_cap < 0 ? 0 : list_cap;
    res->listed = flint_calloc(res->list_cap + 1, sizeof(lmo_pattern_entry_struct));
    res->exact_checks = 0;
}

/* ------------------------------------------------------- slopes, matrix */

void lmo_pattern_slopes(fmpq_mat_t A, const fmpq_mat_t E, const fmpq_t s,
                        const unsigned char *signs)
{
    slong d1 = fmpq_mat_nrows(E), N = fmpq_mat_ncols(E);
    for (slong i = 0; i < d1; i++)
        for (slong n = 0; n < N; n++) {
            if (signs[i * N + n]) fmpq_set(fmpq_mat_entry(A, i, n), fmpq_mat_entry(E, i, n));
            else fmpq_mul(fmpq_mat_entry(A, i, n), fmpq_mat_entry(E, i, n), s);
        }
}

void lmo_pattern_matrix(fmpq_mat_t G, const fmpq_mat_t X, const fmpq_mat_t E,
                        const fmpq_t s, const unsigned char *signs)
{
    fmpq_mat_t A;
    fmpq_mat_init(A, fmpq_mat_nrows(E), fmpq_mat_ncols(X));
    lmo_pattern_slopes(A, E, s, signs);
    lmo_khatri_rao(G, A, X);   /* (4.4) */
    fmpq_mat_clear(A);
}

/* --------------------------------------------------------------- engine */

/* a*b mod p for p < 2^50: the quotient estimated in double is off by at most
 * one, the remainder is then corrected exactly in integer arithmetic. */
static inline ulong mulmod(ulong a, ulong b, ulong p, double pinv)
{
    ulong q = (ulong) ((double) a * (double) b * pinv);
    slong r = (slong) (a * b - q * p);
    if (r < 0) r += (slong) p;
    else if (r >= (slong) p) r -= (slong) p;
    return (ulong) r;
}

static inline ulong submod(ulong a, ulong b, ulong p) { return a >= b ? a - b : a + p - b; }
static inline ulong addmod(ulong a, ulong b, ulong p) { ulong c = a + b; return c >= p ? c - p : c; }

typedef struct {
    slong d0, d1, N, m;
    ulong p;
    double pinv;
    ulong *xm;            /* x~ mod p: [n*d0 + j] */
    ulong *am;            /* a~ mod p: [(n*d1 + i)*2 + bit] */
    fmpz *xt, *at, *D;    /* integer-scaled columns: G~[:,n] = G[:,n] * D[n] */
    unsigned char *sg;    /* current pattern, d1*N */
    slong *piv_row, *piv_col;
    unsigned char *dep;
    slong *dep_r;
    fmpz *dep_x;          /* [k*N + c]: G~[:,k] * det = sum_c G~[:,piv_col[c]] * x_c */
    fmpz *dep_det;
    fmpz *M;              /* Bareiss work, N x (N+1) */
    fmpz_t t, u;
    ulong *g;             /* m */
    ulong *basis;         /* N*m (one pattern at a time) */
    ulong *slots;         /* (N+1) * N*d1*m (exhaustive walk) */
    ulong **lev;
    lmo_patterns_result_struct *res;
    void (*progress)(void *arg, ulong done, ulong total);
    void *progress_arg;
    ulong total;          /* patterns of the run, for progress */
    ulong first, end;     /* the items walked: [first, end) */
    ulong item;           /* the current pattern's item number */
    int tries;
    int failed;           /* an unlucky prime was detected */
    int internal;         /* an impossible state (bug) */
} engine_t;

static void engine_init(engine_t *e, slong d0, slong d1, slong N, int walk)
{
    memset(e, 0, sizeof *e);
    e->d0 = d0; e->d1 = d1; e->N = N; e->m = d0 * d1;
    slong m = e->m;
    e->xm = flint_calloc(N * d0 + 1, sizeof(ulong));
    e->am = flint_calloc(2 * N * d1 + 1, sizeof(ulong));
    e->xt = _fmpz_vec_init(N * d0 + 1);
    e->at = _fmpz_vec_init(2 * N * d1 + 1);
    e->D = _fmpz_vec_init(N + 1);
    e->sg = flint_calloc(d1 * N + 1, 1);
    e->piv_row = flint_calloc(N + 1, sizeof(slong));
    e->piv_col = flint_calloc(N + 1, sizeof(slong));
    e->dep = flint_calloc(N + 1, 1);
    e->dep_r = flint_calloc(N + 1, sizeof(slong));
    e->dep_x = _fmpz_vec_init(N * N + 1);
    e->dep_det = _fmpz_vec_init(N + 1);
    e->M = _fmpz_vec_init(N * (N + 1) + 1);
    fmpz_init(e->t); fmpz_init(e->u);
    e->g = flint_calloc(m + 1, sizeof(ulong));
    e->basis = flint_calloc(N * m + 1, sizeof(ulong));
    if (walk) {
        e->slots = flint_calloc((N + 1) * N * d1 * m + 1, sizeof(ulong));
        e->lev = flint_calloc(N + 1, sizeof(ulong *));
    }
}

static void engine_clear(engine_t *e)
{
    slong N = e->N, d0 = e->d0, d1 = e->d1;
    flint_free(e->xm); flint_free(e->am);
    _fmpz_vec_clear(e->xt, N * d0 + 1);
    _fmpz_vec_clear(e->at, 2 * N * d1 + 1);
    _fmpz_vec_clear(e->D, N + 1);
    flint_free(e->sg); flint_free(e->piv_row); flint_free(e->piv_col);
    flint_free(e->dep); flint_free(e->dep_r);
    _fmpz_vec_clear(e->dep_x, N * N + 1);
    _fmpz_vec_clear(e->dep_det, N + 1);
    _fmpz_vec_clear(e->M, N * (N + 1) + 1);
    fmpz_clear(e->t); fmpz_clear(e->u);
    flint_free(e->g); flint_free(e->basis);
    flint_free(e->slots); flint_free(e->lev);
}

/* Integer scaling of every column: x~ = x * lcm(den x^(n)), a~ = a * lcm(den
 * of eps_i^(n) and s eps_i^(n) over i). Same for both slopes of a unit, so
 * the scale D[n] does not depend on the pattern. */
static void engine_load(engine_t *e, const fmpq_mat_t X, const fmpq_mat_t E, const fmpq_t s)
{
    slong d0 = e->d0, d1 = e->d1, N = e->N;
    fmpz_t dx, da;
    fmpq_t q;
    fmpz_init(dx); fmpz_init(da); fmpq_init(q);
    for (slong n = 0; n < N; n++) {
        fmpz_one(dx);
        for (slong j = 0; j < d0; j++) fmpz_lcm(dx, dx, fmpq_denref(fmpq_mat_entry(X, j, n)));
        for (slong j = 0; j < d0; j++) {
            fmpz_divexact(e->t, dx, fmpq_denref(fmpq_mat_entry(X, j, n)));
            fmpz_mul(e->xt + n * d0 + j, e->t, fmpq_numref(fmpq_mat_entry(X, j, n)));
        }
        fmpz_one(da);
        for (slong i = 0; i < d1; i++) {
            fmpq_mul(q, fmpq_mat_entry(E, i, n), s);
            fmpz_lcm(da, da, fmpq_denref(q));
            fmpz_lcm(da, da, fmpq_denref(fmpq_mat_entry(E, i, n)));
        }
        for (slong i = 0; i < d1; i++)
            for (int b = 0; b < 2; b++) {
                if (b) fmpq_set(q, fmpq_mat_entry(E, i, n));
                else fmpq_mul(q, fmpq_mat_entry(E, i, n), s);
                fmpz_divexact(e->t, da, fmpq_denref(q));
                fmpz_mul(e->at + (n * d1 + i) * 2 + b, e->t, fmpq_numref(q));
            }
        fmpz_mul(e->D + n, dx, da);
    }
    fmpz_clear(dx); fmpz_clear(da); fmpq_clear(q);
}

/* A random prime in [2^49, 2^50) that divides no column scale. */
static ulong engine_pick_prime(engine_t *e, lmo_rng_t *rng)
{
    for (;;) {
        ulong lo = UWORD(1) << 49;
        ulong p = n_nextprime(lo + lmo_rng_below(rng, lo - (UWORD(1) << 20)), 1);
        int ok = 1;
        for (slong n = 0; n < e->N && ok; n++) ok = fmpz_fdiv_ui(e->D + n, p) != 0;
        if (ok) return p;
    }
}

static void engine_set_prime(engine_t *e, ulong p)
{
    e->p = p;
    e->pinv = 1.0 / (double) p;
    for (slong k = 0; k < e->N * e->d0; k++) e->xm[k] = fmpz_fdiv_ui(e->xt + k, p);
    for (slong k = 0; k < 2 * e->N * e->d1; k++) e->am[k] = fmpz_fdiv_ui(e->at + k, p);
}

/* G~[row][col] under the current pattern. */
static inline void gt_entry(fmpz_t out, const engine_t *e, slong row, slong col)
{
    slong i = row / e->d0, j = row % e->d0;
    fmpz_mul(out, e->at + (col * e->d1 + i) * 2 + e->sg[i * e->N + col], e->xt + col * e->d0 + j);
}

/* Column k is dependent mod p on the r pivot columns: solve the pivot system
 * exactly over Z (Bareiss), check the dependency on every row. Returns 1 if
 * confirmed; 0 flags an unlucky prime (or, impossibly, a singular minor). */
static int exact_dep(engine_t *e, slong k, slong r)
{
    slong w = r + 1, m = e->m, N = e->N;
    fmpz *M = e->M, *x = e->dep_x + k * N, *det = e->dep_det + k;
    e->res->exact_checks++;
    for (slong a = 0; a < r; a++) {
        for (slong c = 0; c < r; c++) gt_entry(M + a * w + c, e, e->piv_row[a], e->piv_col[c]);
        gt_entry(M + a * w + r, e, e->piv_row[a], k);
    }
    fmpz_one(e->u);   /* previous pivot */
    for (slong c = 0; c < r; c++) {
        slong a = c;
        while (a < r && fmpz_is_zero(M + a * w + c)) a++;
        if (a == r) { e->internal = 1; return 0; }
        if (a != c) for (slong j = c; j < w; j++) fmpz_swap(M + a * w + j, M + c * w + j);
        for (slong a2 = c + 1; a2 < r; a2++) {
            for (slong j = c + 1; j < w; j++) {
                fmpz_mul(e->t, M + c * w + c, M + a2 * w + j);
                fmpz_submul(e->t, M + a2 * w + c, M + c * w + j);
                fmpz_divexact(M + a2 * w + j, e->t, e->u);
            }
            fmpz_zero(M + a2 * w + c);
        }
        fmpz_set(e->u, M + c * w + c);
    }
    if (r == 0) fmpz_one(det); else fmpz_set(det, M + (r - 1) * w + (r - 1));
    for (slong a = r - 1; a >= 0; a--) {
        fmpz_mul(e->t, det, M + a * w + r);
        for (slong c = a + 1; c < r; c++) fmpz_submul(e->t, M + a * w + c, x + c);
        fmpz_divexact(x + a, e->t, M + a * w + a);
    }
    for (slong row = 0; row < m; row++) {
        gt_entry(e->u, e, row, k);
        fmpz_mul(e->t, det, e->u);
        fmpz_neg(e->t, e->t);
        for (slong c = 0; c < r; c++) {
            gt_entry(e->u, e, row, e->piv_col[c]);
            fmpz_addmul(e->t, e->u, x + c);
        }
        if (!fmpz_is_zero(e->t)) { e->failed = 1; return 0; }
    }
    e->dep_r[k] = r;
    return 1;
}

/* The certificate of the current (complete) pattern, rank r. */
static void list_current(engine_t *e, slong r)
{
    lmo_patterns_result_struct *res = e->res;
    lmo_pattern_entry_struct *ent = res->listed + res->nlisted++;
    slong N = e->N, k = N - r;
    ent->index = e->item;
    ent->signs = flint_malloc(e->d1 * N + 1);
    memcpy(ent->signs, e->sg, e->d1 * N);
    lmo_rank_init(ent->cert);
    lmo_rank_struct *R = ent->cert;
    R->m = e->m; R->n = N; R->rank = r;
    R->prime = e->p;
    R->primes_tried = e->tries;
    R->rows = flint_malloc(sizeof(slong) * (r + 1));
    R->cols = flint_malloc(sizeof(slong) * (r + 1));
    R->free = flint_malloc(sizeof(slong) * (k + 1));
    memcpy(R->rows, e->piv_row, sizeof(slong) * r);
    memcpy(R->cols, e->piv_col, sizeof(slong) * r);
    fmpq_mat_t K;
    fmpq_mat_init(K, N, k);
    fmpq_t q;
    fmpq_init(q);
    for (slong n = 0, j = 0; n < N; n++) {
        if (!e->dep[n]) continue;
        R->free[j] = n;
        fmpq_one(fmpq_mat_entry(K, n, j));
        /* G[:,n] = sum_c G[:,C_c] * D[C_c] x_c / (det D[n]) */
        fmpz_mul(e->t, e->dep_det + n, e->D + n);
        for (slong c = 0; c < e->dep_r[n]; c++) {
            slong col = e->piv_col[c];
            fmpz_mul(e->u, e->D + col, e->dep_x + n * N + c);
            fmpz_neg(e->u, e->u);
            fmpq_set_fmpz_frac(fmpq_mat_entry(K, col, j), e->u, e->t);
        }
        j++;
    }
    fmpz_mat_clear(R->kernel_num);
    fmpz_mat_init(R->kernel_num, N, k);
    if (k > 0) fmpq_mat_get_fmpz_mat_matwise(R->kernel_num, R->kernel_den, K);
    else fmpz_one(R->kernel_den);
    fmpq_clear(q);
    fmpq_mat_clear(K);
}

static inline void leaf(engine_t *e, slong r)
{
    lmo_patterns_result_struct *res = e->res;
    res->checked++;
    if (e->progress && (res->checked & 4095) == 0) e->progress(e->progress_arg, res->checked, e->total);
    res->rank_count[r]++;
    if (r == e->N) { res->full_rank++; return; }
    res->deficient++;
    if (r < res->min_rank) res->min_rank = r;
    if (res->nlisted < res->list_cap) list_current(e, r);
}

/* One pattern (e->sg), columns inserted one by one against an explicit basis. */
static int engine_one(engine_t *e)
{
    slong N = e->N, d0 = e->d0, d1 = e->d1, m = e->m, r = 0;
    ulong p = e->p;
    double pinv = e->pinv;
    ulong *g = e->g;
    for (slong k = 0; k < N; k++) {
        for (slong i = 0; i < d1; i++) {
            ulong a = e->am[(k * d1 + i) * 2 + e->sg[i * N + k]];
            for (slong j = 0; j < d0; j++) g[i * d0 + j] = mulmod(a, e->xm[k * d0 + j], p, pinv);
        }
        for (slong b = 0; b < r; b++) {
            const ulong *B = e->basis + b * m;
            ulong phi = g[e->piv_row[b]], beta = B[e->piv_row[b]];
            if (phi == 0) continue;
            for (slong t = 0; t < m; t++)
                g[t] = submod(mulmod(beta, g[t], p, pinv), mulmod(phi, B[t], p, pinv), p);
        }
        slong rho = 0;
        while (rho < m && g[rho] == 0) rho++;
        if (rho == m) {
            if (!exact_dep(e, k, r)) return 0;
            e->dep[k] = 1;
        } else {
            e->dep[k] = 0;
            memcpy(e->basis + r * m, g, sizeof(ulong) * m);
            e->piv_row[r] = rho;
            e->piv_col[r] = k;
            r++;
        }
    }
    leaf(e, r);
    return 1;
}

/* Exhaustive walk: depth k chooses column k's signs. lev[k] holds, for every
 * later column n and unit i, e_i (x) x~^(n) reduced against the pivots of the
 * prefix; the reduction is linear, so column k's reduced image under choice c
 * is sum_i a_i(c) * lev[k][k][i]. */
static int walk(engine_t *e, slong k, slong r, ulong base)
{
    slong N = e->N, d1 = e->d1, m = e->m, stride = d1 * m;
    ulong p = e->p;
    double pinv = e->pinv;
    ulong *Fk = e->lev[k], *g = e->g;
    ulong nch = UWORD(1) << d1, leaves = UWORD(1) << (d1 * (N - 1 - k)); /* per child */
    for (ulong c = 0; c < nch; c++) {
        ulong lo = base + c * leaves; /* the child's items: [lo, lo + leaves) */
        if (lo + leaves <= e->first || lo >= e->end) continue; /* another shard's */
        e->item = lo;
        for (slong i = 0; i < d1; i++) e->sg[i * N + k] = (c >> i) & 1;
        memset(g, 0, sizeof(ulong) * m);
        for (slong i = 0; i < d1; i++) {
            ulong a = e->am[(k * d1 + i) * 2 + ((c >> i) & 1)];
            const ulong *f = Fk + k * stride + i * m;
            for (slong t = 0; t < m; t++) g[t] = addmod(g[t], mulmod(a, f[t], p, pinv), p);
        }
        slong rho = 0;
        while (rho < m && g[rho] == 0) rho++;
        if (rho == m) {
            if (!exact_dep(e, k, r)) return 0;
            e->dep[k] = 1;
            if (k + 1 == N) leaf(e, r);
            else {
                e->lev[k + 1] = Fk;
                if (!walk(e, k + 1, r, lo)) return 0;
            }
        } else {
            e->dep[k] = 0;
            e->piv_row[r] = rho;
            e->piv_col[r] = k;
            if (k + 1 == N) leaf(e, r + 1);
            else {
                ulong *Fn = e->slots + (k + 1) * N * stride, beta = g[rho];
                e->lev[k + 1] = Fn;
                for (slong n = k + 1; n < N; n++)
                    for (slong i = 0; i < d1; i++) {
                        const ulong *f = Fk + n * stride + i * m;
                        ulong *dst = Fn + n * stride + i * m, phi = f[rho];
                        if (phi == 0)
                            for (slong t = 0; t < m; t++) dst[t] = mulmod(beta, f[t], p, pinv);
                        else
                            for (slong t = 0; t < m; t++)
                                dst[t] = submod(mulmod(beta, f[t], p, pinv),
                                                mulmod(phi, g[t], p, pinv), p);
                    }
                /* g is scratch shared by all depths: the children overwrite it,
                 * which is fine since it is not read again at this depth */
                if (!walk(e, k + 1, r + 1, lo)) return 0;
            }
        }
    }
    return 1;
}

static void walk_start(engine_t *e)
{
    slong N = e->N, d0 = e->d0, d1 = e->d1, m = e->m, stride = d1 * m;
    ulong *F0 = e->slots;
    memset(F0, 0, sizeof(ulong) * N * stride);
    for (slong n = 0; n < N; n++)
        for (slong i = 0; i < d1; i++)
            for (slong j = 0; j < d0; j++)
                F0[n * stride + i * m + i * d0 + j] = e->xm[n * d0 + j];
    e->lev[0] = F0;
}

/* --------------------------------------------------------------- modes */

static int check_common(const lmo_patterns_input_t in, lmo_err_t *err)
{
    slong d0 = fmpq_mat_nrows(in->X), N = fmpq_mat_ncols(in->X);
    if (fmpq_is_zero(in->s))
        return lmo_err_set(err, LMO_EINPUT, LMO_PATTERNS_SLOPE_ZERO);
    if (in->d1 < 1)
        return lmo_err_set(err, LMO_EINPUT, "input.width: must be at least 1");
    if (fmpq_mat_nrows(in->E) != in->d1 || fmpq_mat_ncols(in->E) != N)
        return lmo_err_set(err, LMO_EINPUT, "input.dropout: E1 is %ld x %ld, expected width x N = %ld x %ld",
                           (long) fmpq_mat_nrows(in->E), (long) fmpq_mat_ncols(in->E),
                           (long) in->d1, (long) N);
    if (d0 < 1 || N < 1)
        return lmo_err_set(err, LMO_EINPUT, "input.X: must have at least one row and one column");
    if (in->d1 > WORD(1) << 20 || d0 > (WORD(1) << 40) / in->d1)
        return lmo_err_set(err, LMO_ELIMIT, "input: d0 * d1 too large");
    return LMO_OK;
}

static void draw_pattern(unsigned char *sg, slong len, lmo_rng_t *rng)
{
    ulong bits = 0;
    for (slong t = 0; t < len; t++) {
        if (t % 64 == 0) bits = lmo_rng_next(rng);
        sg[t] = bits & 1;
        bits >>= 1;
    }
}

/* Number of patterns in realizable mode, or 0 on overflow beyond cap. */
static ulong pow_capped(ulong b, slong e, ulong cap)
{
    ulong r = 1;
    for (slong t = 0; t < e; t++) {
        if (b != 0 && r > cap / b) return 0;
        r *= b;
    }
    return r;
}

/* ------------------------------------------------------------ iterator */

int lmo_patterns_iter_init(lmo_patterns_iter_t it, const lmo_patterns_input_t in, lmo_err_t *err)
{
    memset(it, 0, sizeof *it);
    lmo_topes_init(it->T);
    it->mode = in->mode;
    it->d1 = in->d1;
    it->N = fmpq_mat_ncols(in->X);
    lmo_rng_seed(&it->rng, in->seed);
    if (check_common(in, err)) return err->code;
    slong N = it->N, d1 = it->d1, d0 = fmpq_mat_nrows(in->X);
    /* the engine's modular state: N*m words, (N+1)*N*d1*m for the walk */
    double words = (double) N * (double) d0 * (double) d1 * (in->mode == LMO_PATTERNS_EXHAUSTIVE ? (double) (N + 1) * (double) d1 : 1.0);
    if (words > (double) (WORD(1) << 27))
        return lmo_err_set(err, LMO_ELIMIT, "input: d0*d1*N too large for the pattern engine (%.3g words)", words);
    if (in->mode == LMO_PATTERNS_EXHAUSTIVE) {
        if (N * d1 > LMO_PATTERNS_MAX_EXHAUSTIVE_BITS)
            return lmo_err_set(err, LMO_ELIMIT, "input.mode: exhaustive needs N*width <= %d (here %ld); "
                               "use sampled or realizable", LMO_PATTERNS_MAX_EXHAUSTIVE_BITS, (long) (N * d1));
        it->total = UWORD(1) << (N * d1);
    } else if (in->mode == LMO_PATTERNS_SAMPLED) {
        if (in->count < 1 || in->count > (ulong) LMO_PATTERNS_MAX_CHECKED)
            return lmo_err_set(err, in->count < 1 ? LMO_EINPUT : LMO_ELIMIT,
                               "input.count: sampled needs 1 <= count <= %ld", (long) LMO_PATTERNS_MAX_CHECKED);
        it->total = in->count;
    } else if (in->mode == LMO_PATTERNS_REALIZABLE) {
        if (lmo_topes_enumerate(it->T, in->X, err)) return err->code;
        it->total = 0;
        if (it->T->count > 0) {
            ulong ncombo = pow_capped((ulong) it->T->count, d1, (ulong) LMO_PATTERNS_MAX_CHECKED);
            if (in->count > (ulong) LMO_PATTERNS_MAX_CHECKED)
                return lmo_err_set(err, LMO_ELIMIT, "input.count: at most %ld", (long) LMO_PATTERNS_MAX_CHECKED);
            if (in->count > 0 && (ncombo == 0 || in->count < ncombo)) {
                it->drawn = 1;
                it->total = in->count;
            } else if (ncombo == 0) {
                return lmo_err_set(err, LMO_ELIMIT, "input: %ld cells per unit to the power %ld exceeds "
                                   "%ld patterns; give count to draw that many",
                                   (long) it->T->count, (long) d1, (long) LMO_PATTERNS_MAX_CHECKED);
            } else {
                it->total = ncombo;
            }
        }
    } else {
        return lmo_err_set(err, LMO_EINPUT, "input.mode: unknown mode");
    }
    return LMO_OK;
}

void lmo_patterns_iter_clear(lmo_patterns_iter_t it)
{
    lmo_topes_clear(it->T);
}

int lmo_patterns_iter_next(lmo_patterns_iter_t it, unsigned char *signs)
{
    slong N = it->N, d1 = it->d1;
    if (it->next >= it->total) return 0;
    ulong t = it->next++;
    if (it->mode == LMO_PATTERNS_EXHAUSTIVE) {
        for (slong q = 0; q < d1 * N; q++) signs[q] = (t >> q) & 1;
    } else if (it->mode == LMO_PATTERNS_SAMPLED) {
        draw_pattern(signs, d1 * N, &it->rng);
    } else {
        ulong idx = t, T = (ulong) it->T->count;
        for (slong i = 0; i < d1; i++) {
            ulong c;
            if (it->drawn) c = lmo_rng_below(&it->rng, T);
            else { c = idx % T; idx /= T; }
            ulong mask = it->T->masks[c];
            for (slong n = 0; n < N; n++) signs[i * N + n] = (mask >> n) & 1;
        }
    }
    return 1;
}

static int run_once(engine_t *e, const lmo_patterns_input_t in)
{
    if (in->mode == LMO_PATTERNS_EXHAUSTIVE) {
        walk_start(e);
        return walk(e, 0, 0, 0);
    }
    /* the iterator is the definition of the sequence (shared with callers) */
    lmo_patterns_iter_t it;
    lmo_err_t err;
    int ok = lmo_patterns_iter_init(it, in, &err) == LMO_OK;
    for (e->item = 0; ok && e->item < e->end && lmo_patterns_iter_next(it, e->sg); e->item++)
        if (e->item >= e->first) ok = engine_one(e);
    lmo_patterns_iter_clear(it);
    return ok;
}

/* Lemma 3 on the patterns checked (lmo/soudry_carmon/hypotheses.h: its only hypothesis
 * is N <= d0 d1; a deficient pattern puts (X, E1) in the exceptional null set). */
void lmo_patterns_result_finish(lmo_patterns_result_t res, const lmo_patterns_input_t in)
{
    slong d0 = res->d0, d1 = res->d1, N = res->N;
    const char *lemma3 = "Soudry–Carmon Lemma 3";
    char why[256];
    if (lmo_sc_lemma3_hypotheses(d0, d1, N, in->s) == LMO_SC_TOO_MANY_SAMPLES) {   /* s != 0 here */
        lmo_theorem_set(&res->lemma3, lemma3, LMO_OUTCOME_NOT_APPLICABLE,
                        "N = %ld > d0*d1 = %ld: Lemma 3 needs N <= d0*d1", (long) N,
                        (long) lmo_sc_lemma3_max_samples(d0, d1));
    } else if (res->deficient == 0) {
        lmo_theorem_set(&res->lemma3, lemma3, LMO_OUTCOME_HOLDS,
                        "N <= d0*d1: all %lu checked patterns have rank N = %ld",
                        (unsigned long) res->checked, (long) N);
    } else {
        lmo_sc_genericity(why, sizeof why, in->X, in->E, "X", "E1");
        lmo_theorem_set(&res->lemma3, lemma3, LMO_OUTCOME_EXCEPTIONAL,
                        "N <= d0*d1, yet %lu of %lu patterns have rank < N (lowest %ld): (X, E1) "
                        "lies in the exceptional null set: %s", (unsigned long) res->deficient,
                        (unsigned long) res->checked, (long) res->min_rank, why);
    }
}

int lmo_patterns_run(lmo_patterns_result_t res, const lmo_patterns_input_t in, lmo_err_t *err)
{
    slong d0 = fmpq_mat_nrows(in->X), d1 = in->d1, N = fmpq_mat_ncols(in->X);
    /* validates the input and the mode's caps; gives the realizable cells */
    lmo_patterns_iter_t it;
    int rc = lmo_patterns_iter_init(it, in, err);
    if (rc == LMO_OK) {
        engine_t e;
        lmo_rng_t prng;
        lmo_rng_seed(&prng, in->seed ^ UWORD(0x7061747465726e73));   /* "patterns" */
        engine_init(&e, d0, d1, N, in->mode == LMO_PATTERNS_EXHAUSTIVE);
        engine_load(&e, in->X, in->E, in->s);
        e.res = res;
        e.first = in->first, e.end = in->end && in->end < it->total ? in->end : it->total;
        e.progress = in->progress, e.progress_arg = in->progress_arg;
        e.total = e.end > e.first ? e.end - e.first : 0;
        int done = 0;
        for (e.tries = 1; e.tries <= MAX_TRIES && !done && !e.internal; e.tries++) {
            /* a fresh start for every prime: an unlucky one redoes the run */
            lmo_patterns_result_start(res, d0, d1, N, in->mode, in->list_cap);
            res->cells_per_unit = (ulong) it->T->count;
            res->realizable_drawn = it->drawn;
            ulong p = engine_pick_prime(&e, &prng);
            if (e.tries == 1 && in->first_prime > 2 && in->first_prime < (UWORD(1) << 50)
                && n_is_prime(in->first_prime)) {
                int ok = 1;
                for (slong n = 0; n < N && ok; n++) ok = fmpz_fdiv_ui(e.D + n, in->first_prime) != 0;
                if (ok) p = in->first_prime;
            }
            engine_set_prime(&e, p);
            e.failed = 0;
            done = run_once(&e, in);
            res->prime = e.p;
            res->primes_tried = e.tries;
        }
        engine_clear(&e);
        if (!done)
            rc = lmo_err_set(err, LMO_ELIMIT, "patterns: no verified result after %d primes (internal error)",
                             MAX_TRIES);
    }
    if (rc == LMO_OK) lmo_patterns_result_finish(res, in);
    lmo_patterns_iter_clear(it);
    return rc;
}

int lmo_pattern_rank(lmo_rank_t R, const fmpq_mat_t X, const fmpq_mat_t E, const fmpq_t s,
                     const unsigned char *signs, ulong seed, lmo_err_t *err)
{
    slong d0 = fmpq_mat_nrows(X), d1 = fmpq_mat_nrows(E), N = fmpq_mat_ncols(X);
    if (fmpq_is_zero(s)) return lmo_err_set(err, LMO_EINPUT, "slope: must be non-zero");
    if (fmpq_mat_ncols(E) != N) return lmo_err_set(err, LMO_EINPUT, "dropout: needs N columns");
    lmo_patterns_result_t res;
    lmo_patterns_result_init(res);
    lmo_patterns_result_start(res, d0, d1, N, LMO_PATTERNS_SAMPLED, 1);
    engine_t e;
    lmo_rng_t prng;
    lmo_rng_seed(&prng, seed ^ UWORD(0x7061747465726e73));
    engine_init(&e, d0, d1, N, 0);
    engine_load(&e, X, E, s);
    memcpy(e.sg, signs, d1 * N);
    e.res = res;
    int done = 0;
    for (e.tries = 1; e.tries <= MAX_TRIES && !done && !e.internal; e.tries++) {
        engine_set_prime(&e, engine_pick_prime(&e, &prng));
        res->list_cap = 1;
        done = engine_one(&e);
        if (done && res->nlisted == 0) {
            /* full rank: certificate is the minor alone */
            list_current(&e, N);
        }
        if (!done) lmo_patterns_result_start(res, d0, d1, N, LMO_PATTERNS_SAMPLED, 1);
    }
    engine_clear(&e);
    int rc = LMO_OK;
    if (done) {
        lmo_rank_clear(R);
        *R = *res->listed[0].cert;          /* move */
        lmo_rank_init(res->listed[0].cert);
    } else {
        rc = lmo_err_set(err, LMO_ELIMIT, "pattern rank: no verified result after %d primes", MAX_TRIES);
    }
    lmo_patterns_result_clear(res);
    return rc;
}
