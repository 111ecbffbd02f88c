/*
 * `lmo rank` and `lmo compare` for the kinds matrix_rank and
 * khatri_rao_rank (Soudry-Carmon (4.4): G = A o X).
 *
 * rank:    the certified exact rank; --cert writes the certificate.
 * compare: the exact rank beside each fast-tier policy's rank; for every
 *          disagreement, which singular value sits how far from which
 *          threshold. Exit 1 when any policy disagrees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "kinds.h"
#include "lmo/certificate.h"
#include "lmo/rank.h"
#include "lmo/svals.h"

static const char RANK_USAGE[] =
"usage: lmo rank [options] FILE...\n"
"\n"
"Exact rank of each vector of kind matrix_rank (input.M) or khatri_rao_rank\n"
"(G = A o X, Soudry-Carmon (4.4)), with its certificate: a non-zero minor mod p\n"
"(rank >= r) and n - r exact kernel vectors in echelon form (rank <= r).\n"
"FILE may be - for stdin.\n"
"\n"
"options:\n"
"  --json           one JSON object per input on stdout: id, kind, rows, cols,\n"
"                   rank, full_column_rank, primes_tried\n"
"  --cert FILE      write the certificate (lmo-cert/1) to FILE; with several\n"
"                   inputs FILE is a directory and gets ID.cert.json per input\n"
"  --seed S         seed of the random primes (default 0; the answer never\n"
"                   depends on it, only the certificate's prime does)\n"
"  --quiet          print nothing but errors\n"
"  --max-entries N  refuse matrices with more than N entries (exit 3)\n"
"  --max-bits N     refuse numbers with more than N bits (exit 3)\n"
"  --max-dim N      refuse dimensions above N (exit 3)\n"
"\n"
"exit: 0 done (and equal to expect.rank when present), 1 differs from\n"
"expect.rank, 2 bad input or usage, 3 limit or internal error.\n";

static const char COMPARE_USAGE[] =
"usage: lmo compare [options] FILE...\n"
"\n"
"Exact tier against fast tier: the certified exact rank of each vector beside\n"
"the rank that double-precision LAPACK code decides under each policy, and for\n"
"each disagreement which singular value sits how far from which threshold.\n"
"The doubles are the correctly rounded values of the exact inputs (MPFR).\n"
"\n"
"options:\n"
"  --policy P       numpy   (gesdd; sigma_i > sigma_max*max(m,n)*eps, eps=2^-52)\n"
"                   qrcp    (geqp3; |R_ii| > |R_11|*max(m,n)*eps)\n"
"                   abs:T   (gesdd; sigma_i > T)\n"
"                   rel:R   (gesdd; sigma_i > R*sigma_max)\n"
"                   repeatable; default: numpy and qrcp\n"
"  --json           one JSON object per input on stdout (exact values of the\n"
"                   doubles as hex-float strings, e.g. \"0x1p-53\")\n"
"  --cert FILE      write the exact verdict's certificate (as for lmo rank)\n"
"  --seed S, --quiet, --max-entries N, --max-bits N, --max-dim N: as for lmo rank\n"
"\n"
"exit: 0 every policy agrees with the exact rank, 1 some policy disagrees,\n"
"2 bad input or usage, 3 limit or internal error.\n";

/* Load a rank vector and its matrix. */
static int load(lmo_vector_t v, fmpq_mat_t G, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_cli_set_input(file);
    if (lmo_vector_read_file(v, file, &o->lim, &err)) return lmo_cli_report(file, &err);
    if (lmo_rank_matrix_from_input(G, v->kind, v->input, &o->lim, &err)) {
        lmo_vector_clear(v);
        return lmo_cli_report(file, &err);
    }
    return 0;
}

static int write_cert(const lmo_rank_t R, const char *id, const char *file, const lmo_cli_opts *o)
{
    return o->cert ? lmo_cli_write_cert(lmo_cert_rank_to_json(R, id), id, file, o) : 0;
}

/* expect.rank, or -1 when absent */
static slong expected_rank(const lmo_vector_t v)
{
    json_t *e = v->expect ? json_object_get(v->expect, "rank") : NULL;
    return json_is_integer(e) ? (slong) json_integer_value(e) : -1;
}

static int certified_rank(lmo_rank_t R, const fmpq_mat_t G, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_cli_progress("%s: exact rank of a %ld x %ld matrix...", file,
                     (long) fmpq_mat_nrows(G), (long) fmpq_mat_ncols(G));
    int rc = lmo_rank_certified(R, G, o->seed, &err);
    lmo_cli_progress("%s", "");
    return rc ? lmo_cli_report(file, &err) : 0;
}

int lmo_cmd_rank(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, RANK_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_vector_t v;
        fmpq_mat_t G;
        lmo_rank_t R;
        lmo_vector_init(v);
        if ((rc = load(v, G, file, &o))) { worst = FLINT_MAX(worst, rc); continue; }
        lmo_rank_init(R);
        rc = certified_rank(R, G, file, &o);
        if (rc == 0) rc = write_cert(R, v->id, file, &o);
        if (rc == 0) {
            slong want = expected_rank(v);
            int full = R->rank == R->n;
            if (want >= 0 && want != R->rank) rc = 1;
            if (o.json) {
                json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:i}",
                                      "id", v->id, "file", file, "kind", v->kind,
                                      "rows", (json_int_t) R->m, "cols", (json_int_t) R->n,
                                      "rank", (json_int_t) R->rank, "full_column_rank", full,
                                      "primes_tried", R->primes_tried);
                if (want >= 0) json_object_set_new(j, "expect_rank", json_integer(want));
                lmo_cli_print_json(j);
                json_decref(j);
            } else if (!o.quiet) {
                printf("%s: %s %ld x %ld: rank %ld%s (certified: minor mod %lu, %ld kernel vectors)\n",
                       v->id, v->kind, (long) R->m, (long) R->n, (long) R->rank,
                       full ? ", full column rank" : "", (unsigned long) R->prime,
                       (long) (R->n - R->rank));
                if (rc == 1)
                    printf("  MISMATCH: expect.rank is %ld\n", (long) want);
            }
        }
        lmo_rank_clear(R);
        fmpq_mat_clear(G);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_opts_clear(&o);
    return worst;
}

static const char *threshold_formula(const lmo_fast_policy_t *p)
{
    switch (p->kind) {
    case LMO_FAST_NUMPY: return "sigma_max*max(m,n)*eps";
    case LMO_FAST_QRCP:  return "|R_11|*max(m,n)*eps";
    case LMO_FAST_ABS:   return "absolute T";
    default:             return "R*sigma_max";
    }
}

static json_t *hexd(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%a", x);
    return json_string(b);
}

/* Why the policy's rank differs from the exact rank r: the value at the
 * boundary and its distance from the threshold. */
static void explain(char *out, size_t cap, const lmo_fast_rank_t *fr, slong r,
                    const lmo_fast_policy_t *p, json_t *jx)
{
    const char *what = p->kind == LMO_FAST_QRCP ? "|R_kk|" : "sigma_k";
    if (fr->rank < r) {
        /* value number fr->rank+1 .. r are > 0 exactly but were not counted */
        slong k = fr->rank;  /* 0-based index of the first value not counted */
        double s = fr->sv[k];
        double f = s > 0 ? fr->threshold / s : INFINITY;
        snprintf(out, cap, "%s with k=%ld is %.3e <= threshold %.3e (%s), %.3g times below it; "
                 "exactly, the matrix has rank %ld, so %ld more value%s non-zero",
                 what, (long) (k + 1), s, fr->threshold, threshold_formula(p), f, (long) r,
                 (long) (r - fr->rank), r - fr->rank > 1 ? "s are" : " is");
        json_object_set_new(jx, "direction", json_string("float_rank_too_low"));
        json_object_set_new(jx, "index", json_integer(k + 1));
        json_object_set_new(jx, "value", hexd(s));
        json_object_set_new(jx, "factor_below_threshold", hexd(f));
    } else {
        slong k = r;          /* 0-based index of the first value that is exactly 0 */
        double s = fr->sv[k];
        double f = fr->threshold > 0 ? s / fr->threshold : INFINITY;
        snprintf(out, cap, "%s with k=%ld is %.3e > threshold %.3e (%s), %.3g times above it; "
                 "exactly, the matrix has rank %ld, so that value is rounding noise on an exact zero",
                 what, (long) (k + 1), s, fr->threshold, threshold_formula(p), f, (long) r);
        json_object_set_new(jx, "direction", json_string("float_rank_too_high"));
        json_object_set_new(jx, "index", json_integer(k + 1));
        json_object_set_new(jx, "value", hexd(s));
        json_object_set_new(jx, "factor_above_threshold", hexd(f));
    }
}

#define SV_PREC 128

/* Certified singular values of G, when small enough (else NULL). */
static arb_ptr exact_svals(const fmpq_mat_t G, slong *q)
{
    lmo_err_t err;
    slong zeros;
    *q = FLINT_MIN(fmpq_mat_nrows(G), fmpq_mat_ncols(G));
    if (*q == 0 || *q > LMO_SVALS_MAX_Q) return NULL;
    arb_ptr sv = _arb_vec_init(*q);
    if (lmo_svals_enclose(sv, &zeros, G, SV_PREC, &err) != LMO_OK) {
        _arb_vec_clear(sv, *q);
        return NULL;
    }
    return sv;
}

/* The policy's question answered with the exact singular values: how many
 * exceed the policy's threshold computed from them (numpy, abs, rel; qrcp
 * asks about |R_ii|, which is not answered here: returns -1). *amb counts
 * values inside the threshold's own uncertainty: a threshold derived from a
 * float sigma_max (numpy, rel) is only known to a relative max(m,n)*eps, so
 * a value that close to it may be counted either way; an absolute threshold
 * is exact. */
static slong exact_count(slong *amb, arb_srcptr sv, slong q, slong m, slong n,
                         const lmo_fast_policy_t *pol)
{
    arb_t T, band;
    slong c;
    *amb = 0;
    if (pol->kind == LMO_FAST_QRCP) return -1;
    arb_init(T); arb_init(band);
    if (pol->kind == LMO_FAST_ABS) {
        arb_set_d(T, pol->param);
        arb_zero(band);
    } else {
        if (pol->kind == LMO_FAST_NUMPY) {               /* sigma_max*max(m,n)*2^-52 */
            arb_mul_si(T, sv + 0, FLINT_MAX(m, n), SV_PREC);
            arb_mul_2exp_si(T, T, -52);
        } else {
            arb_set_d(T, pol->param);
            arb_mul(T, T, sv + 0, SV_PREC);
        }
        arb_mul_si(band, T, FLINT_MAX(m, n), SV_PREC);
        arb_mul_2exp_si(band, band, -52);
    }
    c = lmo_svals_count_above(amb, sv, q, T, band, SV_PREC);
    arb_clear(T); arb_clear(band);
    return c;
}

static json_t *arb_json(const arb_t x)
{
    char *s = arb_get_str(x, 17, 0);
    json_t *j = json_string(s);
    flint_free(s);
    return j;
}

static int is_rank_kind(const char *kind)
{
    return strcmp(kind, "matrix_rank") == 0 || strcmp(kind, "khatri_rao_rank") == 0;
}

/* Kinds without a compare of their own: the exact verdict beside each
 * policy's decision, through the kind's operations (cli/kinds.h). */
static int compare_by_ops(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    const lmo_kind_ops_t *ops = lmo_kind_ops(v->kind);
    lmo_err_t err;
    lmo_err_clear(&err);
    if (ops == NULL) {
        lmo_err_set(&err, LMO_ELIMIT, "kind: lmo cannot compare kind \"%s\" yet", v->kind);
        return lmo_cli_report(file, &err);
    }
    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = lmo_kind_policies(pols, LMO_CLI_MAX_POLICIES, o);
    json_t *expect = NULL, *cert = NULL, *fast = NULL;
    int rc = ops->exact(&expect, &cert, v, o, &err);
    if (rc) return lmo_cli_report(file, &err);
    if ((rc = lmo_cli_write_cert(cert, v->id, file, o))) {   /* cert stolen */
        json_decref(expect);
        return rc;
    }
    if ((rc = ops->fast(&fast, v, pols, npol, o, &err))) {
        json_decref(expect);
        return lmo_cli_report(file, &err);
    }
    int ndis = 0;
    json_t *jp = json_object();
    if (!o->json && !o->quiet) printf("%s (%s)\n", v->id, v->kind);
    for (int p = 0; p < npol; p++) {
        json_t *dec = json_object_get(fast, pols[p].name);
        char why[600] = "";
        int dis = dec ? (ops->disagrees ? ops->disagrees(expect, dec, why, sizeof why)
                                        : lmo_kind_disagrees_shared(expect, dec, why, sizeof why)) : 0;
        ndis += dis;
        json_t *jx = dec ? json_deep_copy(dec) : json_object();
        json_object_set_new(jx, "agree", json_boolean(!dis));
        if (dis) json_object_set_new(jx, "why", json_string(why));
        json_object_set_new(jp, pols[p].name, jx);
        if (!o->json && !o->quiet)
            printf("  %-12s %s%s%s\n", pols[p].name, dis ? "DISAGREE: " : "agree", why, "");
    }
    if (o->json) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:O, s:o, s:b}", "id", v->id, "file", file,
                              "kind", v->kind, "expect", expect, "fast", jp, "agree", ndis == 0);
        json_object_update(j, expect);   /* the verdict keys at top level, as in --json elsewhere */
        lmo_cli_print_json(j);
        json_decref(j);
    } else {
        json_decref(jp);
    }
    json_decref(expect); json_decref(fast);
    return ndis ? 1 : 0;
}

static int compare_other(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    if (strcmp(v->kind, "mnn") == 0) return lmo_compare_mnn(v, file, o);
    if (strcmp(v->kind, "mnn_patterns") == 0) return lmo_compare_patterns(v, file, o);
    if (strcmp(v->kind, "deep_linear") == 0) return lmo_compare_deep_linear(v, file, o);
    if (strcmp(v->kind, "witness") == 0) return lmo_compare_witness(v, file, o);
    return compare_by_ops(v, file, o);
}

int lmo_cmd_compare(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, COMPARE_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    if (o.npolicies == 0) {
        lmo_fast_policy_parse(&o.policies[0], "numpy");
        lmo_fast_policy_parse(&o.policies[1], "qrcp");
        o.npolicies = 2;
    }
    int ndis_total = 0;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_vector_t v;
        fmpq_mat_t G;
        lmo_rank_t R;
        lmo_vector_init(v);
        lmo_err_t lerr;
        lmo_err_clear(&lerr);
        lmo_cli_set_input(file);
        if ((rc = lmo_vector_read_file(v, file, &o.lim, &lerr))) {
            rc = lmo_cli_report(file, &lerr);
            worst = FLINT_MAX(worst, rc);
            continue;
        }
        if (!is_rank_kind(v->kind)) {   /* each other kind compares in its own module */
            rc = compare_other(v, file, &o);
            if (rc == 1) ndis_total++;
            lmo_vector_clear(v);
            worst = FLINT_MAX(worst, rc);
            continue;
        }
        if ((rc = lmo_rank_matrix_from_input(G, v->kind, v->input, &o.lim, &lerr))) {
            rc = lmo_cli_report(file, &lerr);
            worst = FLINT_MAX(worst, rc);
            lmo_vector_clear(v);
            continue;
        }
        lmo_rank_init(R);
        rc = certified_rank(R, G, file, &o);
        if (rc == 0) rc = write_cert(R, v->id, file, &o);
        if (rc == 0) {
            slong m = R->m, n = R->n, r = R->rank;
            int overflow = 0, ndis = 0;
            double *D = lmo_cli_mat_to_double(G, &overflow);
            json_t *jp = json_object(), *jsv = json_array();
            slong q;
            arb_ptr sv = exact_svals(G, &q);
            if (!o.json && !o.quiet)
                printf("%s (%s, %ld x %ld): exact rank %ld%s\n", v->id, v->kind, (long) m, (long) n,
                       (long) r, r == n ? " (full column rank)" : "");
            if (sv != NULL) {
                for (slong i = 0; i < q; i++) json_array_append_new(jsv, arb_json(sv + i));
                if (!o.json && !o.quiet) {
                    printf("  exact singular values (certified):");
                    for (slong i = 0; i < q && i < 6; i++) {
                        char *t = arb_get_str(sv + i, 6, ARB_STR_NO_RADIUS);
                        printf(" %s", arb_is_zero(sv + i) ? "0" : t);
                        flint_free(t);
                    }
                    printf("%s\n", q > 6 ? " ..." : "");
                }
            }
            for (int p = 0; p < o.npolicies; p++) {
                const lmo_fast_policy_t *pol = &o.policies[p];
                json_t *jx = json_object();
                if (overflow) {
                    ndis++;
                    json_object_set_new(jx, "rank", json_null());
                    json_object_set_new(jx, "agree", json_false());
                    json_object_set_new(jx, "why", json_string("an entry overflows double"));
                    if (!o.json && !o.quiet)
                        printf("  %-12s DISAGREE: an entry overflows double precision\n", pol->name);
                    json_object_set_new(jp, pol->name, jx);
                    continue;
                }
                lmo_fast_rank_t fr;
                lmo_fast_rank_init(&fr);
                if (lmo_fast_rank(&fr, D, m, n, pol) != 0) {
                    lmo_err_t e;
                    lmo_err_set(&e, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pol->name, fr.info);
                    rc = lmo_cli_report(file, &e);
                    lmo_fast_rank_clear(&fr);
                    json_decref(jx);
                    break;
                }
                int agree = fr.rank == r;
                json_object_set_new(jx, "rank", json_integer(fr.rank));
                json_object_set_new(jx, "agree", json_boolean(agree));
                json_object_set_new(jx, "threshold", hexd(fr.threshold));
                json_t *jvals = json_array();
                for (long i = 0; i < fr.nsv; i++) json_array_append_new(jvals, hexd(fr.sv[i]));
                json_object_set_new(jx, "values", jvals);
                slong amb = 0, ec = sv ? exact_count(&amb, sv, q, m, n, pol) : -1;
                if (ec >= 0) {
                    json_object_set_new(jx, "exact_count", json_integer(ec));
                    json_object_set_new(jx, "ambiguous", json_integer(amb));
                }
                if (!agree) {
                    char why[1024];
                    ndis++;
                    explain(why, sizeof why, &fr, r, pol, jx);
                    if (ec >= 0) {
                        size_t l = strlen(why);
                        const char *cause = amb > 0 ? "ambiguous"
                                          : ec == fr.rank ? "tolerance" : "rounding";
                        snprintf(why + l, sizeof why - l, ". Cause: %s (%ld exact singular value%s above "
                                 "the policy's threshold%s)", cause, (long) ec, ec == 1 ? " is" : "s are",
                                 amb > 0 ? "; a value sits within the threshold's own uncertainty"
                                 : ec == fr.rank ? ": the float computation is right, the tolerance "
                                   "hides the exact rank" : ": float rounding moved a value across it");
                        json_object_set_new(jx, "cause", json_string(cause));
                    }
                    json_object_set_new(jx, "why", json_string(why));
                    if (!o.json && !o.quiet)
                        printf("  %-12s rank %-4ld DISAGREE: %s\n", pol->name, fr.rank, why);
                } else if (!o.json && !o.quiet) {
                    printf("  %-12s rank %-4ld agree\n", pol->name, fr.rank);
                }
                json_object_set_new(jp, pol->name, jx);
                lmo_fast_rank_clear(&fr);
            }
            if (rc == 0 && ndis) rc = 1;
            ndis_total += ndis;
            if (o.json) {
                json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:o, s:b}",
                                      "id", v->id, "file", file, "kind", v->kind,
                                      "rows", (json_int_t) m, "cols", (json_int_t) n,
                                      "rank", (json_int_t) r, "full_column_rank", r == n,
                                      "fast", jp, "agree", ndis == 0);
                if (sv != NULL) json_object_set(j, "singular_values", jsv);
                lmo_cli_print_json(j);
                json_decref(j);
            } else {
                json_decref(jp);
            }
            json_decref(jsv);
            if (sv != NULL) _arb_vec_clear(sv, q);
            free(D);
        }
        lmo_rank_clear(R);
        fmpq_mat_clear(G);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    if (!o.json && !o.quiet && o.nfiles > 1)
        printf("%d input%s, %d disagreement%s\n", o.nfiles, o.nfiles > 1 ? "s" : "",
               ndis_total, ndis_total == 1 ? "" : "s");
    lmo_cli_opts_clear(&o);
    return worst;
}
