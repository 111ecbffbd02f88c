/* Kinds matrix_rank (input.M) and khatri_rao_rank (G = A o X, Soudry-Carmon (4.4)): the
 * certified exact rank (lmo/linalg/rank.h) and each policy's float rank (lmo_fast/rank.h); a
 * disagreement is explained by the value at the boundary, the threshold, and -- from the
 * certified singular values (lmo/linalg/svals.h) -- whether the tolerance or rounding moved it. */
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/linalg/eig_enclose.h"
#include "lmo/core/certificate.h"
#include "lmo/linalg/rank.h"
#include "lmo/linalg/svals.h"

#define SV_PREC 128

typedef struct {
    fmpq_mat_t G;
    lmo_rank_t R;
    arb_ptr sv;     /* certified singular values (compare), or NULL */
    slong q;
    int ready;      /* G and R initialised */
} rank_state;

static int rank_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    rank_state *s = p;
    if (lmo_rank_matrix_from_input(s->G, v->kind, v->input, &o->lim, err)) return err->code;
    lmo_rank_init(s->R);
    s->ready = 1;
    if (lmo_rank_certified(s->R, s->G, o->seed, err)) return err->code;
    s->q = FLINT_MIN(fmpq_mat_nrows(s->G), fmpq_mat_ncols(s->G));
    if (o->explain && s->q > 0 && s->q <= LMO_SVALS_MAX_Q) { /* to explain a disagreement */
        slong zeros;
        lmo_err_t e2;
        s->sv = _arb_vec_init(s->q);
        if (lmo_svals_enclose(s->sv, &zeros, s->G, SV_PREC, &e2) != LMO_OK)
            _arb_vec_clear(s->sv, s->q), s->sv = NULL;
    }
    return LMO_OK;
}

static json_t *rank_verdict(const void *p)
{
    const rank_state *s = p;
    return json_pack("{s:I, s:b}", "rank", (json_int_t)s->R->rank, "full_column_rank",
                     s->R->rank == s->R->n);
}

static json_t *rank_info(const void *p)
{
    const rank_state *s = p;
    char pr[32];
    snprintf(pr, sizeof pr, "%lu", (unsigned long)s->R->prime);
    json_t *j = json_pack("{s:I, s:I, s:i, s:s}", "rows", (json_int_t)s->R->m, "cols",
                          (json_int_t)s->R->n, "primes_tried", s->R->primes_tried, "prime", pr);
    if (s->sv) { /* compare: the certified singular values, as enclosures {mid, rad} */
        json_t *a = json_array();
        for (slong i = 0; i < s->q; i++) json_array_append_new(a, lmo_arb_to_json(s->sv + i, 17));
        json_object_set_new(j, "singular_values", a);
    }
    return j;
}

static json_t *rank_certificate(const void *p, const char *id)
{
    return lmo_cert_rank_to_json(((const rank_state *)p)->R, id);
}

static void rank_shape(FILE *f, const void *p)
{
    const rank_state *s = p;
    fprintf(f, "%ld x %ld", (long)s->R->m, (long)s->R->n);
}

static void rank_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const rank_state *s = p;
    (void)o;
    fprintf(f, "  rank %ld%s (certified: a minor non-zero mod %lu, %ld kernel vectors)\n",
            (long)s->R->rank, s->R->rank == s->R->n ? ", full column rank" : "",
            (unsigned long)s->R->prime, (long)(s->R->n - s->R->rank));
    if (s->sv) {
        fprintf(f, "  exact singular values (certified):");
        for (slong i = 0; i < s->q && i < 6; i++) {
            char *t = arb_get_str(s->sv + i, 6, ARB_STR_NO_RADIUS);
            fprintf(f, " %s", arb_is_zero(s->sv + i) ? "0" : t);
            flint_free(t);
        }
        fprintf(f, "%s\n", s->q > 6 ? " ..." : "");
    }
}

/* The policy's question answered with the exact singular values: how many exceed its
 * threshold computed from them (numpy, abs, rel; qrcp asks about |R_ii|: -1). *amb counts
 * values inside the threshold's own uncertainty (a threshold from a float sigma_max is
 * known only to a relative max(m,n)*eps). */
static slong exact_count(slong *amb, const rank_state *s, const lmo_fast_policy_t *pol)
{
    slong m = s->R->m, n = s->R->n, c;
    arb_t T, band;
    *amb = 0;
    if (!s->sv || pol->kind == LMO_FAST_QRCP) return -1;
    arb_init(T), arb_init(band);
    if (pol->kind == LMO_FAST_ABS) {
        arb_set_d(T, pol->param);
        arb_zero(band);
    } else {
        if (pol->kind == LMO_FAST_NUMPY) { /* sigma_max*max(m,n)*2^-52 */
            arb_mul_si(T, s->sv + 0, FLINT_MAX(m, n), SV_PREC);
            arb_mul_2exp_si(T, T, -52);
        } else {
            arb_set_d(T, pol->param);
            arb_mul(T, T, s->sv + 0, SV_PREC);
        }
        arb_mul_si(band, T, FLINT_MAX(m, n), SV_PREC);
        arb_mul_2exp_si(band, band, -52);
    }
    c = lmo_svals_count_above(amb, s->sv, s->q, T, band, SV_PREC);
    arb_clear(T), arb_clear(band);
    return c;
}

static int rank_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                            lmo_err_t *err)
{
    const rank_state *s = p;
    slong m = s->R->m, n = s->R->n, r = s->R->rank;
    int overflow = 0;
    double *D = lmo_cli_mat_to_double(s->G, &overflow);
    lmo_fast_rank_t fr;
    (void)in;
    lmo_fast_rank_init(&fr);
    if (overflow || lmo_fast_rank(&fr, D, m, n, pol) != 0) {
        int info = fr.info;
        lmo_fast_rank_clear(&fr), free(D);
        return overflow ? LMO_KIND_OVERFLOW
                        : lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pol->name, info);
    }
    free(D);
    json_t *detail = json_object(), *vals = json_array();
    for (long i = 0; i < fr.nsv; i++) json_array_append_new(vals, lmo_cli_hexd(fr.sv[i]));
    json_object_set_new(detail, "threshold", lmo_cli_hexd(fr.threshold));
    json_object_set_new(detail, "values", vals);
    slong amb = 0, ec = exact_count(&amb, s, pol);
    if (ec >= 0)
        json_object_set_new(detail, "exact_count", json_integer(ec)),
            json_object_set_new(detail, "ambiguous", json_integer(amb));
    json_t *dis = lmo_kind_fast_entry(out, pol->name,
                                      json_pack("{s:I, s:b}", "rank", (json_int_t)fr.rank,
                                                "full_column_rank", fr.rank == n), detail);
    if (fr.rank != r) {
        char why[1024];
        lmo_kind_explain_rank(why, sizeof why, "rank", &fr, r, pol);
        if (ec >= 0) {
            size_t l = strlen(why);
            const char *cause = amb > 0 ? "ambiguous" : ec == fr.rank ? "tolerance" : "rounding";
            snprintf(why + l, sizeof why - l, ". Cause: %s (%ld exact singular value%s above "
                     "the policy's threshold%s)", cause, (long)ec, ec == 1 ? " is" : "s are",
                     amb > 0 ? "; a value sits within the threshold's own uncertainty"
                     : ec == fr.rank ? ": the float computation is right, the tolerance hides "
                       "the exact rank" : ": float rounding moved a value across it");
            json_object_set_new(detail, "cause", json_string(cause));
        }
        json_array_append_new(dis, json_string(why));
    }
    lmo_fast_rank_clear(&fr);
    return LMO_OK;
}

static void rank_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    static const char *const keys[] = {"rank", NULL};
    lmo_kind_flag_disagreement(flags, verdict, fast, keys);
}

/* Frees what exact made, whatever it returned. */
static void rank_clear(void *p)
{
    rank_state *s = p;
    if (s->sv) _arb_vec_clear(s->sv, s->q);
    if (s->ready) lmo_rank_clear(s->R), fmpq_mat_clear(s->G);
}

#define RANK_KIND(name)                                                       \
const lmo_kind_t lmo_kind_##name = {                                          \
    .kind = #name, .state_size = sizeof(rank_state), .exact = rank_exact,     \
    .clear = rank_clear, .verdict = rank_verdict, .info = rank_info,          \
    .certificate = rank_certificate, .fast_policy = rank_fast_policy,         \
    .shape = rank_shape, .text = rank_text, .flags = rank_flags}
RANK_KIND(matrix_rank);
RANK_KIND(khatri_rao_rank);
