/* Kind witness: the point of Soudry & Carmon (2016), Lemma 8 / (B.3)-(B.6), built exactly
 * (lmo/soudry_carmon/witness.h) with G'_{L-1} = [I]_{1..N} verified and its rank certified; with
 * --generic also Lemma 8's conclusion at a random rational point; in double, (B.6) and the
 * rank under each policy (lmo_fast/witness.h). */
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/core/gen.h"
#include "lmo/soudry_carmon/witness.h"
#include "lmo_fast/witness.h"

typedef struct {
    slong *d, L, N;
    lmo_witness_t w;
    lmo_witness_result_t r;
    int generic, gdiff;        /* --generic: a random rational point's rank */
    slong grank;
    ulong gprime, seed;
    lmo_theorem_t lemma8;      /* --generic: Lemma 8's conclusion at that point */
} wit_state;

static int wit_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    wit_state *s = p;
    int rc;
    lmo_witness_init(s->w);
    lmo_witness_result_init(s->r);
    s->generic = o->generic, s->seed = o->seed, s->grank = -1;
    if ((rc = lmo_witness_input_set_json(&s->d, &s->L, &s->N, v->input, &o->lim, err)) ||
        (rc = lmo_witness_build(s->w, s->d, s->L, s->N, err)) ||
        (rc = lmo_witness_verify(s->r, s->w, 1, o->seed, err)) || !s->generic)
        return rc;
    /* Lemma 8's conclusion at a random rational point, dropout everywhere */
    lmo_rng_t rng;
    fmpq_mat_t G;
    lmo_rank_t R;
    lmo_gen_rng(&rng, "witness-generic-point", o->seed, 0);
    lmo_rank_init(R);
    rc = lmo_witness_random_G(G, &s->gdiff, s->d, s->L, s->N, LMO_WITNESS_CASE_ALL, 0, &rng, err);
    if (rc == 0) rc = lmo_rank_certified(R, G, o->seed, err), fmpq_mat_clear(G);
    s->grank = R->rank, s->gprime = R->prime;
    lmo_rank_clear(R);
    if (rc == 0) lmo_witness_lemma8(&s->lemma8, s->r, s->N, s->grank, s->gdiff);
    return rc;
}

static json_t *wit_verdict(const void *p)
{
    const wit_state *s = p;
    json_t *v = lmo_witness_expect_to_json(s->w, s->r), *t = json_array();
    lmo_theorems_append(t, &s->r->construction);
    lmo_theorems_append(t, &s->lemma8);
    json_object_set_new(v, "theorems", t);
    return v;
}

/* The statements' outcomes are lmo's reading of the paper; lmo-check certifies the
 * construction's claims themselves (G_identity, rank). */
static const char *const wit_report[] = {"theorems", NULL};

static json_t *wit_info(const void *p)
{
    const wit_state *s = p;
    json_t *w = json_array(), *j;
    for (slong l = 0; l <= s->L; l++) json_array_append_new(w, json_integer(s->d[l]));
    j = json_pack("{s:o, s:I, s:b}", "widths", w, "N", (json_int_t)s->N, "holds", s->r->holds);
    if (s->generic) {
        char pb[32];
        snprintf(pb, sizeof pb, "%lu", (unsigned long)s->gprime);
        json_object_set_new(j, "generic", json_pack("{s:I, s:s, s:b}", "rank", (json_int_t)s->grank,
                                                     "prime", pb, "differentiable", s->gdiff));
    }
    return j;
}

static json_t *wit_certificate(const void *p, const char *id)
{
    return lmo_witness_cert_to_json(((const wit_state *)p)->w, id);
}

static int wit_failed(const void *p)
{
    const wit_state *s = p;
    return !s->r->holds;   /* Lemma 8 failing at a random point is exceptional, not a failure */
}

static void wit_shape(FILE *f, const void *p)
{
    const wit_state *s = p;
    fprintf(f, "L=%ld, widths", (long)s->L);
    lmo_cli_print_widths(f, s->d, s->L + 1);
    fprintf(f, ", N=%ld, d_{L-2} d_{L-1} = %ld", (long)s->N, (long)(s->d[s->L - 2] * s->d[s->L - 1]));
}

static void wit_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const wit_state *s = p;
    const lmo_witness_struct *w = s->w;
    const lmo_witness_result_struct *r = s->r;
    slong L = w->L, N = w->N, k = L - 2, rows = w->d[L - 2] * w->d[L - 1];
    (void)o;
    if (L == 2)
        fprintf(f, "  Fact 2: X' = [1_{1x%ld} (x) I_%ld]_{1..%ld}, A'_1 = [I_%ld (x) 1_{1x%ld}]_{1..%ld}\n",
                (long)w->d[1], (long)w->d[0], (long)N, (long)w->d[1], (long)w->d[0], (long)N);
    else {
        fprintf(f, "  (B.3)-(B.5): X' = 1, W'_l = [1, 0, ..., 0] for l <= %ld, ", (long)k);
        if (k > 1) fprintf(f, "A'_l = 1 for l < %ld, ", (long)k);
        fprintf(f, "A'_%ld = [1_{1x%ld} (x) I_%ld]_{1..%ld}, A'_%ld = [I_%ld (x) 1_{1x%ld}]_{1..%ld}\n",
                (long)k, (long)w->d[L - 1], (long)w->d[k], (long)N, (long)(L - 1), (long)w->d[L - 1],
                (long)w->d[k], (long)N);
    }
    fprintf(f, "  exact forward pass: %s; activations %s A'\n",
            r->differentiable ? "every hidden pre-activation is non-zero (differentiable)"
                              : "SOME PRE-ACTIVATION IS 0",
            r->activations_match ? "equal" : "DIFFER FROM");
    if (r->identity)
        fprintf(f, "  G'_%ld (%ld x %ld) = [I_%ld]_{1..%ld}: yes (B.6)\n", (long)(L - 1), (long)rows,
                (long)N, (long)rows, (long)N);
    else
        fprintf(f, "  G'_%ld = [I_%ld]_{1..%ld}: NO, first difference at row %ld, column %ld\n",
                (long)(L - 1), (long)rows, (long)N, (long)r->bad_row, (long)r->bad_col);
    if (r->certified)
        fprintf(f, "  rank G'_%ld = %ld%s (certified: minor mod %lu, %ld kernel vectors)\n",
                (long)(L - 1), (long)r->rank->rank, r->rank->rank == N ? " = N" : " < N",
                (unsigned long)r->rank->prime, (long)(r->rank->n - r->rank->rank));
    lmo_cli_print_theorem(f, &r->construction);
    if (r->holds) { /* the variables of (B.1)-(B.2): X, E_1..E_{L-1}, W_1..W_{L-2} */
        fprintf(f, "  => Lemma 8: rank G_%ld = %ld for almost every (X", (long)(L - 1), (long)N);
        for (slong l = 1; l < L; l++) fprintf(f, ", E_%ld", (long)l);
        for (slong l = 1; l <= k; l++) fprintf(f, ", W_%ld", (long)l);
        fprintf(f, ") with this activation pattern\n");
    }
    if (s->generic)
        fprintf(f, "  random rational point (seed %lu, dropout in every layer, %s): rank G_%ld = %ld%s "
                "(certified: minor mod %lu)\n", (unsigned long)s->seed,
                s->gdiff ? "differentiable" : "NOT differentiable", (long)(L - 1), (long)s->grank,
                s->grank == N ? " = N, as Lemma 8 concludes" : " < N", (unsigned long)s->gprime);
    lmo_cli_print_theorem(f, &s->lemma8);
}

/* The witness in double, built once for every policy. */
typedef struct {
    lmo_fast_witness_t fw;
    int built;
} fast_witness;

static int wit_fast_input(void **in, const void *p, const lmo_fast_policy_t *pols, int npol,
                             lmo_err_t *err)
{
    const wit_state *s = p;
    fast_witness *F = calloc(1, sizeof *F);
    long *ld = malloc(sizeof(long) * (size_t)(s->L + 1));
    (void)pols, (void)npol;
    if (!F || !ld) abort();
    *in = F;
    for (slong l = 0; l <= s->L; l++) ld[l] = (long)s->d[l];
    F->built = lmo_fast_witness_build(&F->fw, ld, (long)s->L, (long)s->N) == 0;
    free(ld);
    return F->built ? LMO_OK
                    : lmo_err_set(err, LMO_ELIMIT, "internal: the fast tier refused widths the oracle accepted");
}

static void wit_fast_clear(void *in, const void *p)
{
    fast_witness *F = in;
    (void)p;
    if (F && F->built) lmo_fast_witness_clear(&F->fw);
    free(F);
}

static int wit_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                           lmo_err_t *err)
{
    const wit_state *s = p;
    fast_witness *F = in;
    lmo_fast_witness_result_t fr;
    int rc = LMO_OK;
    lmo_fast_witness_result_init(&fr);
    if (lmo_fast_witness_run(&fr, &F->fw, pol) != 0) {
        rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pol->name,
                         fr.rank.info);
    } else {
        json_t *detail = json_pack("{s:o, s:o, s:o}", "max_dev", lmo_cli_hexd(fr.max_dev),
                                   "identity_tol", lmo_cli_hexd(fr.tol), "threshold",
                                   lmo_cli_hexd(fr.rank.threshold));
        if (fr.rank.nsv > 0)
            json_object_set_new(detail, "smallest_value", lmo_cli_hexd(fr.rank.sv[fr.rank.nsv - 1]));
        json_t *dis = lmo_kind_fast_entry(out, pol->name,
                                          json_pack("{s:b, s:I, s:b}", "G_identity", fr.identity,
                                                    "rank", (json_int_t)fr.rank.rank,
                                                    "full_column_rank", fr.rank.rank == s->N),
                                          detail);
        char why[600];
        if (fr.rank.rank != s->r->rank->rank) {
            lmo_kind_explain_rank(why, sizeof why, "rank G'", &fr.rank, s->r->rank->rank, pol);
            json_array_append_new(dis, json_string(why));
        }
        if (fr.identity != s->r->identity) {
            snprintf(why, sizeof why, "G' = [I]: float %s (max |G' - I| = %.3e, tol %.3e), exact %s",
                     fr.identity ? "yes" : "no", fr.max_dev, fr.tol, s->r->identity ? "yes" : "no");
            json_array_append_new(dis, json_string(why));
        }
    }
    lmo_fast_witness_result_clear(&fr);
    return rc;
}

/* FloatDisagrees when a policy's rank or identity decision differs. */
static void wit_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    static const char *const keys[] = {"rank", "G_identity", NULL};
    lmo_kind_flag_disagreement(flags, verdict, fast, keys);
}

/* Frees what exact made, whatever it returned. */
static void wit_clear(void *p)
{
    wit_state *s = p;
    lmo_witness_result_clear(s->r);
    lmo_witness_clear(s->w);
    flint_free(s->d);
}

const lmo_kind_t lmo_kind_witness = {
    .kind = "witness", .state_size = sizeof(wit_state), .exact = wit_exact,
    .clear = wit_clear, .verdict = wit_verdict, .info = wit_info,
    .certificate = wit_certificate, .failed = wit_failed,
    .fast_input = wit_fast_input, .fast_policy = wit_fast_policy, .fast_clear = wit_fast_clear,
    .shape = wit_shape, .text = wit_text, .flags = wit_flags, .report = wit_report};
