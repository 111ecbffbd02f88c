/* Kind nguyen_hein: the network of Nguyen & Hein (2017) in ball arithmetic from its exact
 * rational parameters (lmo/nguyen_hein/nguyen_hein.h): rank [X, 1_N] exactly, rank [F_k, 1_N]
 * certified (a minor proven non-singular in balls, an upper bound from exact structure;
 * undecided at the precision cap otherwise), rank W_l for l in [k+2, L] exactly, Phi (1)
 * enclosed, Lemma 4.4's outcome; and its double twin (lmo_fast/nguyen_hein.h): the float rank
 * of [F_k, 1_N] under each policy, which drops where sigma saturates.
 * The precision cap is LMO_NH_MAX_PREC (bits, default 4096). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/linalg/eig_enclose.h"
#include "lmo/nguyen_hein/nguyen_hein.h"
#include "lmo_fast/nguyen_hein.h"

typedef struct {
    lmo_nh_input_t in;
    lmo_nh_result_t r;
    int ready;
} nh_state;

static int nh_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    nh_state *s = p;
    slong max_prec = LMO_NH_DEFAULT_MAX_PREC;
    const char *cap = getenv("LMO_NH_MAX_PREC");
    if (cap && *cap) {
        char *end;
        long c = strtol(cap, &end, 10);
        if (*end || c < 2 || c > (1L << 24))
            return lmo_err_set(err, LMO_EINPUT, "LMO_NH_MAX_PREC: expected bits in [2, 2^24], got "
                               "\"%.40s\"", cap);
        max_prec = c;
    }
    if (lmo_nh_input_set_json(s->in, v->input, &o->lim, err)) return err->code;
    lmo_nh_result_init(s->r);
    s->ready = 1;
    return lmo_nh_run(s->r, s->in, o->seed, max_prec, err);
}

static void nh_clear(void *p)
{
    nh_state *s = p;
    if (!s->ready) return;
    lmo_nh_result_clear(s->r);
    lmo_nh_input_clear(s->in);
}

static json_t *index_array(const slong *a, slong n)
{
    json_t *j = json_array();
    for (slong i = 0; i < n; i++) json_array_append_new(j, json_integer(a[i]));
    return j;
}

/* Definition 5.1's finding on one set of rows: the separator (column j = h_j, exact), its least
 * margin (exact for X, a ball for F_k), or Gordan's y. */
static json_t *sep_json(const lmo_nh_sep_struct *S)
{
    static const char *const st[] = {"not_separable", "separable"};
    json_t *j = json_pack("{s:s, s:s}", "status", S->status == LMO_NH_SEP_UNDECIDED ? "undecided" :
                          st[S->status == LMO_NH_SEP_SEPARABLE], "why", S->why);
    if (S->status == LMO_NH_SEP_SEPARABLE) {
        json_t *H = json_array();
        for (slong c = 0; c < fmpq_mat_ncols(S->H); c++) {
            json_t *h = json_array();
            for (slong r = 0; r < fmpq_mat_nrows(S->H); r++)
                json_array_append_new(h, lmo_json_from_q(fmpq_mat_entry(S->H, r, c)));
            json_array_append_new(H, h);
        }
        json_object_set_new(j, "separator", H);
        json_object_set_new(j, "min_margin", S->exact ? lmo_json_from_q(S->min_margin_q)
                                                      : lmo_arb_to_json(S->min_margin, 17));
    } else {
        json_object_set_new(j, "class", json_integer(S->cls));
    }
    if (S->status == LMO_NH_SEP_NOT) {
        json_t *y = json_array();
        for (slong i = 0; i < S->N; i++) json_array_append_new(y, lmo_json_from_q(S->y + i));
        json_object_set_new(j, "gordan_y", y);
    }
    return j;
}

/* Theorem 3.8 / Corollary 3.9: how non-degeneracy of a (block) Hessian was decided */
static json_t *nondeg_json(const lmo_nh_nondeg_t *d, const char *layers)
{
    static const char *const st[] = {"singular", "nonsingular"};
    json_t *j = json_pack("{s:s, s:I, s:I, s:s}", "status", d->status < 0 ? "undecided" :
                          st[d->status], "size", (json_int_t)d->size, "precision",
                          (json_int_t)d->prec, "how", d->how);
    if (layers) json_object_set_new(j, "layers", json_string(layers));
    if (d->inertia)
        json_object_set_new(j, "inertia", json_pack("{s:I, s:I}", "positive", (json_int_t)d->pos,
                                                    "negative", (json_int_t)d->neg));
    return j;
}

static json_t *nh_verdict(const void *p)
{
    const nh_state *s = p;
    const lmo_nh_input_struct *in = s->in;
    const lmo_nh_result_struct *r = s->r;
    const lmo_nh_rank_struct *R = r->Fk1;
    json_t *j = json_object(), *wf = json_array(), *th = json_array(), *det = json_object();
    json_object_set_new(j, "k", json_integer(in->k));
    json_object_set_new(j, "X_distinct_rows", json_boolean(r->X_distinct_rows));
    json_object_set_new(j, "rank_X1", json_integer(r->rank_X1));
    json_object_set_new(j, "rank_Fk1", R->decided ? json_integer(R->rank) : json_null());
    for (slong l = in->k + 2; l <= in->L; l++)
        json_array_append_new(wf, json_pack("{s:I, s:I, s:I, s:b}", "layer", (json_int_t)l, "rank",
                                            (json_int_t)r->W_rank[l - 1], "cols",
                                            (json_int_t)in->n[l], "full",
                                            r->W_rank[l - 1] == in->n[l]));
    json_object_set_new(j, "W_full_column_rank", wf);
    /* how rank_Fk1 was decided (report) */
    json_object_set_new(det, "status", json_string(R->decided ? "certified" : "undecided"));
    json_object_set_new(det, "lower", json_integer(R->lower));
    json_object_set_new(det, "upper", json_integer(R->upper));
    json_object_set_new(det, "upper_why", json_string(R->upper_why));
    json_object_set_new(det, "precision", json_integer(R->prec));
    json_object_set_new(det, "minor_rows", index_array(R->rows, R->lower));
    json_object_set_new(det, "minor_cols", index_array(R->cols, R->lower));
    if (R->decided) /* false: the rank stands, but lmo-check cannot verify it (report, not expect) */
        json_object_set_new(det, "checkable", json_boolean(R->checkable));
    if (!R->decided) {
        char why[400];
        snprintf(why, sizeof why, "undecided at precision %ld: a certified %ld x %ld minor, "
                 "structure allows %ld", (long)R->prec, (long)R->lower, (long)R->lower,
                 (long)R->upper);
        json_object_set_new(det, "reason", json_string(why));
    }
    json_object_set_new(j, "rank_Fk1_detail", det);
    arb_t phi;
    arb_init(phi);
    lmo_nh_loss(phi, in, 128);
    json_object_set_new(j, "loss", lmo_arb_to_json(phi, 17));   /* {mid, rad}, as every enclosure */
    arb_clear(phi);
    lmo_theorems_append(th, &r->lemma44);
    lmo_theorems_append(th, &r->lemma43);
    lmo_theorems_append(th, &r->lemma35);
    lmo_theorems_append(th, &r->theorem34);
    lmo_theorems_append(th, &r->theorem38);
    lmo_theorems_append(th, &r->corollary39);
    lmo_theorems_append(th, &r->theorem53_1);
    lmo_theorems_append(th, &r->theorem53_2);
    json_object_set_new(j, "separability", json_pack("{s:o, s:o}", "F_k", sep_json(r->sepF), "X",
                                                     sep_json(r->sepX)));
    json_t *hs = json_object();
    if (r->theorem38.statement && r->block.size)
        json_object_set_new(hs, "block", nondeg_json(&r->block, r->block_layers));
    if (r->corollary39.statement && r->full.size)
        json_object_set_new(hs, "full", nondeg_json(&r->full, NULL));
    json_object_set_new(j, "hessian", hs);
    json_t *g = json_pack("{s:s, s:I}", "status", r->crit.nonzero ? "nonzero" : "undecided",
                          "precision", (json_int_t)r->crit.prec);
    if (r->crit.nonzero) json_object_set_new(g, "nonzero_entry", json_string(r->crit.where));
    json_object_set_new(j, "gradient", g);
    json_object_set_new(j, "theorems", th);
    return j;
}

static json_t *ball_rows(const arb_mat_t M)
{
    json_t *rows = json_array();
    for (slong i = 0; i < arb_mat_nrows(M); i++) {
        json_t *row = json_array();
        for (slong j = 0; j < arb_mat_ncols(M); j++) {
            char *t = arb_get_str(arb_mat_entry(M, i, j), 30, 0);
            json_array_append_new(row, json_string(t));
            flint_free(t);
        }
        json_array_append_new(rows, row);
    }
    return rows;
}

/* F_k's enclosures (40 digits, at least 128 bits) and the gradient's (Lemma 2.1, 128 bits, 30
 * digits) for the cross-checks of tests/nguyen_hein. */
static json_t *nh_info(const void *p)
{
    const nh_state *s = p;
    const lmo_nh_input_struct *in = s->in;
    slong prec = s->r->Fk1->prec > 128 ? s->r->Fk1->prec : 128;
    arb_mat_t F;
    json_t *rows = json_array(), *widths = json_array();
    arb_mat_init(F, in->N, in->n[in->k]);
    lmo_nh_forward(F, in, in->k, prec);
    for (slong i = 0; i < in->N; i++) {
        json_t *row = json_array();
        for (slong j = 0; j < in->n[in->k]; j++) {
            char *t = arb_get_str(arb_mat_entry(F, i, j), 40, 0);
            json_array_append_new(row, json_string(t));
            flint_free(t);
        }
        json_array_append_new(rows, row);
    }
    for (slong l = 0; l <= in->L; l++) json_array_append_new(widths, json_integer(in->n[l]));
    arb_mat_clear(F);
    slong L = in->L;
    arb_mat_struct *gW = flint_malloc(sizeof(arb_mat_struct) * (size_t)L);
    arb_mat_struct *gb = flint_malloc(sizeof(arb_mat_struct) * (size_t)L);
    for (slong l = 0; l < L; l++) arb_mat_init(gW + l, in->n[l], in->n[l + 1]), arb_mat_init(gb + l, 1, in->n[l + 1]);
    lmo_nh_gradient(gW, gb, in, 128);
    json_t *gradW = json_array(), *gradb = json_array();
    for (slong l = 0; l < L; l++) {
        json_array_append_new(gradW, ball_rows(gW + l));
        json_t *br = ball_rows(gb + l);
        json_array_append(gradb, json_array_get(br, 0));
        json_decref(br);
        arb_mat_clear(gW + l), arb_mat_clear(gb + l);
    }
    flint_free(gW), flint_free(gb);
    json_t *info = json_pack("{s:I, s:I, s:o, s:s, s:I, s:o, s:o, s:o}", "N", (json_int_t)in->N, "L",
                             (json_int_t)in->L, "widths", widths, "activation",
                             lmo_nh_activation_name(in->act), "F_k_precision", (json_int_t)prec,
                             "F_k", rows, "grad_W", gradW, "grad_b", gradb);
    /* the block Hessian on I = {k+1, ..., L} (squared loss, at most LMO_NH_HESS_MAX
     * parameters), 128 bits: Theorem 3.8's matrix, for the cross-check of tests/nguyen_hein */
    int *blk = flint_calloc((size_t)L + 2, sizeof(int));
    for (slong l = in->k + 1; l <= L; l++) blk[l] = 1;
    slong P = lmo_nh_block_size(in, blk);
    if (in->loss == LMO_NH_LOSS_SQUARED && P > 0 && P <= LMO_NH_HESS_MAX) {
        arb_mat_t H;
        arb_mat_init(H, P, P);
        lmo_nh_block_hessian(H, in, blk, 128);
        json_object_set_new(info, "hessian_upper", ball_rows(H));
        arb_mat_clear(H);
    }
    flint_free(blk);
    return info;
}

static int nh_failed(const void *p)
{
    const nh_state *s = p;
    return s->r->lemma44.outcome == LMO_OUTCOME_VIOLATED ||
           s->r->lemma43.outcome == LMO_OUTCOME_VIOLATED;
}

static void nh_shape(FILE *f, const void *p)
{
    const nh_state *s = p;
    fprintf(f, "%s, L=%ld, N=%ld, widths", lmo_nh_activation_name(s->in->act), (long)s->in->L,
            (long)s->in->N);
    lmo_cli_print_widths(f, s->in->n, s->in->L + 1);
    fprintf(f, ", k=%ld", (long)s->in->k);
}

static void nh_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const nh_state *s = p;
    const lmo_nh_input_struct *in = s->in;
    const lmo_nh_result_struct *r = s->r;
    const lmo_nh_rank_struct *R = r->Fk1;
    slong k = in->k, N = in->N;
    (void)o;
    fprintf(f, "  rank [X, 1_N] = %ld (exact; N = %ld); X %s\n", (long)r->rank_X1, (long)N,
            r->X_distinct_rows ? "has distinct rows" : "has IDENTICAL rows (Assumption 3.2.1 fails)");
    if (R->decided)
        fprintf(f, "  rank [F_%ld, 1_N] = %ld, certified at %ld bits (a %ld x %ld minor proven "
                "non-singular in balls; structure bounds it by %ld)\n", (long)k, (long)R->rank,
                (long)R->prec, (long)R->lower, (long)R->lower, (long)R->upper);
    else
        fprintf(f, "  rank [F_%ld, 1_N] undecided at precision %ld bits: between %ld (a certified "
                "minor) and %ld (structure)\n", (long)k, (long)R->prec, (long)R->lower,
                (long)R->upper);
    fprintf(f, "    structure: %s\n", R->upper_why);
    if (k + 2 <= in->L) {
        fprintf(f, "  W_l full column rank, l in [%ld, %ld]:", (long)(k + 2), (long)in->L);
        for (slong l = k + 2; l <= in->L; l++)
            fprintf(f, " W_%ld %s (rank %ld of %ld)", (long)l,
                    r->W_rank[l - 1] == in->n[l] ? "yes" : "NO", (long)r->W_rank[l - 1],
                    (long)in->n[l]);
        fprintf(f, "\n");
    }
    arb_t phi;
    arb_init(phi);
    lmo_nh_loss(phi, in, 128);
    char *t = arb_get_str(phi, 12, 0);
    fprintf(f, "  Phi %s: %s\n", in->loss == LMO_NH_LOSS_SQUARED_HINGE ? "(4), squared hinge "
            "l_1, l_2" : "(1), squared loss", t);
    flint_free(t);
    arb_clear(phi);
    if (r->crit.nonzero)
        fprintf(f, "  gradient (Lemma 2.1): not critical, %s excludes 0 at %ld bits\n",
                r->crit.where, (long)r->crit.prec);
    else
        fprintf(f, "  gradient (Lemma 2.1): every ball contains 0 at %ld bits (criticality "
                "undecided)\n", (long)r->crit.prec);
    lmo_cli_print_theorem(f, &r->lemma44);
    lmo_cli_print_theorem(f, &r->lemma43);
    lmo_cli_print_theorem(f, &r->lemma35);
    lmo_cli_print_theorem(f, &r->theorem34);
    fprintf(f, "  linear separability (Definition 5.1, classes y_ij > 0): rows of F_%ld %s; rows of "
            "X %s\n", (long)k, r->sepF->status == LMO_NH_SEP_SEPARABLE ? "separable" :
            r->sepF->status == LMO_NH_SEP_NOT ? "NOT separable" : "undecided",
            r->sepX->status == LMO_NH_SEP_SEPARABLE ? "separable" :
            r->sepX->status == LMO_NH_SEP_NOT ? "NOT separable" : "undecided");
    lmo_cli_print_theorem(f, &r->theorem38);
    lmo_cli_print_theorem(f, &r->corollary39);
    lmo_cli_print_theorem(f, &r->theorem53_1);
    lmo_cli_print_theorem(f, &r->theorem53_2);
}

/* ---- the fast tier ---- */

/* What every policy ranks, made once: the network in double, F_k by its forward pass, and
 * [F_k, 1_N] and [X, 1_N]. */
typedef struct {
    double *X, **W, **b, *Fk, *E, *X1;
    lmo_fast_nh_input_t f;
    int finite;       /* 0: an entry of F_k is not finite in double */
} fast_mats;

static int nh_fast_input(void **in, const void *p, const lmo_fast_policy_t *pols, int npol,
                         lmo_err_t *err)
{
    const lmo_nh_input_struct *nin = ((const nh_state *)p)->in;
    slong N = nin->N, nk = nin->n[nin->k], d = nin->d;
    int overflow = 0;
    fast_mats *M = calloc(1, sizeof *M);
    (void)pols, (void)npol, (void)err;
    if (!M) abort();
    *in = M;
    M->W = lmo_cli_mats_to_double(nin->W, nin->L, &overflow);
    M->b = lmo_cli_mats_to_double(nin->b, nin->L, &overflow);
    M->X = lmo_cli_mat_to_double(nin->X, &overflow);
    M->f = (lmo_fast_nh_input_t){.N = N, .L = nin->L, .n = nin->n, .X = M->X,
                                 .W = (const double *const *)M->W, .b = (const double *const *)M->b,
                                 .act = (int)nin->act, .alpha = lmo_cli_q_to_d(nin->alpha, &overflow)};
    if (overflow) return LMO_KIND_OVERFLOW;
    M->Fk = malloc(sizeof(double) * (size_t)(N * nk + 1));
    M->E = malloc(sizeof(double) * (size_t)(N * (nk + 1)));
    M->X1 = malloc(sizeof(double) * (size_t)(N * (d + 1)));
    if (!M->Fk || !M->E || !M->X1) abort();
    lmo_fast_nh_forward(M->Fk, &M->f, nin->k);
    for (slong i = 0; i < N; i++) {
        for (slong j = 0; j < nk; j++) M->E[i * (nk + 1) + j] = M->Fk[i * nk + j];
        M->E[i * (nk + 1) + nk] = 1.0;
        for (slong j = 0; j < d; j++) M->X1[i * (d + 1) + j] = M->X[i * d + j];
        M->X1[i * (d + 1) + d] = 1.0;
    }
    M->finite = 1;
    for (slong i = 0; i < N * nk; i++) M->finite &= isfinite(M->Fk[i]) != 0;
    return LMO_OK;
}

static void nh_fast_clear(void *in, const void *p)
{
    const nh_state *s = p;
    fast_mats *M = in;
    if (!M) return;
    lmo_cli_mats_free(M->W, s->in->L), lmo_cli_mats_free(M->b, s->in->L);
    free(M->X), free(M->Fk), free(M->E), free(M->X1), free(M);
}

static int nh_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                          lmo_err_t *err)
{
    const nh_state *s = p;
    const lmo_nh_input_struct *nin = s->in;
    const fast_mats *M = in;
    slong N = nin->N, nk = nin->n[nin->k], d = nin->d;
    lmo_fast_rank_t fe, fx;
    int rc = LMO_OK;
    lmo_fast_rank_init(&fe), lmo_fast_rank_init(&fx);
    if (!M->finite) {
        json_t *dis = lmo_kind_fast_entry(out, pol->name,
                                          json_pack("{s:s}", "why", "F_k overflows double"), NULL);
        json_array_append_new(dis, json_string("F_k has an entry that is not finite in double"));
    } else if (lmo_fast_rank(&fe, M->E, N, nk + 1, pol) || lmo_fast_rank(&fx, M->X1, N, d + 1, pol)) {
        rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s", pol->name);
    } else {
        const lmo_nh_rank_struct *R = s->r->Fk1;
        json_t *detail = json_pack("{s:o, s:o}", "threshold_Fk1", lmo_cli_hexd(fe.threshold),
                                   "sigma_min_Fk1", lmo_cli_hexd(fe.nsv ? fe.sv[fe.nsv - 1] : 0));
        json_t *dec = json_pack("{s:I, s:I}", "rank_X1", (json_int_t)fx.rank, "rank_Fk1",
                                (json_int_t)fe.rank);
        json_t *dis = lmo_kind_fast_entry(out, pol->name, dec, detail);
        char why[600], what[40];
        if (fx.rank != s->r->rank_X1) {
            lmo_kind_explain_rank(why, sizeof why, "rank [X, 1_N]", &fx, s->r->rank_X1, pol);
            json_array_append_new(dis, json_string(why));
        }
        snprintf(what, sizeof what, "rank [F_%ld, 1_N]", (long)nin->k);
        if (R->decided && fe.rank != R->rank) {
            lmo_kind_explain_rank(why, sizeof why, what, &fe, R->rank, pol);
            json_array_append_new(dis, json_string(why));
        } else if (!R->decided && (fe.rank < R->lower || fe.rank > R->upper)) {
            snprintf(why, sizeof why, "%s: the float rank %ld is outside [%ld, %ld], where the "
                     "exact rank is proven to lie (undecided at %ld bits)", what, fe.rank,
                     (long)R->lower, (long)R->upper, (long)R->prec);
            json_array_append_new(dis, json_string(why));
        }
    }
    lmo_fast_rank_clear(&fe), lmo_fast_rank_clear(&fx);
    return rc;
}

/* FloatDisagrees when some policy's rank differs from a decided exact one. */
static void nh_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    static const char *const keys[] = {"rank_X1", "rank_Fk1", NULL};
    const char *key;
    json_t *val;
    int dis = 0;
    json_object_foreach((json_t *)fast, key, val)
        for (int k = 0; keys[k]; k++) {
            json_t *a = json_object_get(verdict, keys[k]), *b = json_object_get(val, keys[k]);
            if (json_is_integer(a) && (!b || !json_equal(a, b))) dis = 1;
        }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
}

/* lmo-check's certificate (lmo-cert-1.md, claim nguyen_hein): the proven rank [F_k, 1_N] with
 * its minor and the near inverse R (exact dyadics) that prove it in intervals at the precision
 * lmo reached; without them when the rank is undecided or R was not proven (the certificate then
 * backs the rational members of expect only). */
static json_t *nh_certificate(const void *p, const char *id)
{
    const lmo_nh_rank_struct *R = ((const nh_state *)p)->r->Fk1;
    json_t *c = json_pack("{s:s, s:s, s:s}", "format", "lmo-cert/1", "claim", "nguyen_hein",
                          "vector", id);
    if (R->decided && R->checkable) {
        json_object_set_new(c, "rank", json_integer(R->rank));
        json_object_set_new(c, "minor", json_pack("{s:I, s:o, s:o, s:o}", "precision",
                                                  (json_int_t)R->prec, "rows",
                                                  index_array(R->rows, R->lower), "cols",
                                                  index_array(R->cols, R->lower), "inverse",
                                                  lmo_json_from_mat(R->inverse)));
    }
    return c;
}

/* How rank_Fk1 was reached, the loss enclosure and the theorem outcomes: lmo's findings, not
 * claims lmo-check certifies. */
static const char *const nh_report[] = {"rank_Fk1_detail", "loss", "gradient", "separability",
                                        "hessian", "theorems", NULL};

/* rank_Fk1 is a claim only when the certificate proves it: null (undecided) or a rank without
 * a checkable certificate goes to report (rank_Fk1_detail says why). */
static void nh_split(json_t *expect, json_t *report)
{
    static const char *const rank[] = {"rank_Fk1", NULL};
    json_t *det = json_object_get(report, "rank_Fk1_detail");
    if (json_is_null(json_object_get(expect, "rank_Fk1")) ||
        !json_is_true(json_object_get(det, "checkable")))
        lmo_kind_move_members(expect, report, rank);
}

const lmo_kind_t lmo_kind_nguyen_hein = {
    .kind = "nguyen_hein", .state_size = sizeof(nh_state), .exact = nh_exact, .clear = nh_clear,
    .verdict = nh_verdict, .info = nh_info, .certificate = nh_certificate, .failed = nh_failed,
    .fast_input = nh_fast_input, .fast_policy = nh_fast_policy, .fast_clear = nh_fast_clear,
    .shape = nh_shape, .text = nh_text, .flags = nh_flags, .report = nh_report,
    .split = nh_split};
