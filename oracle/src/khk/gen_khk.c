/*
 * Kawaguchi-Huang-Kaelbling 2019 generator families (kind khk), small enough to replay in
 * well under a second each (H <= 2, widths <= 3, m <= 14):
 *   khk-critical     exact differentiable critical points: random X, weights (no pre-activation
 *                    0), Y = Yhat + R with vec(R) a random integer combination of a basis of
 *                    the null space of [D D_1(H+1)]^T (an exact rref), so the residual is
 *                    orthogonal to every block and the exact gradient D^T vec(Yhat - Y)
 *                    vanishes: Theorem 1 predicts L = J = 1/2 ||R||^2. Every fourth vector
 *                    takes R = 0 (Y realisable: L = J = 0); every third has H = 1, dy = 1
 *                    (Proposition 1 applies).
 *   khk-random       random X, Y, weights, no kink: generically not critical, J < L.
 *   khk-kink         one pre-activation of hidden layer 1 made exactly 0: even vectors solve
 *                    X[i, last] for it; odd ones set x_i = (3, 1, 0, ...) and W(1)[:, k] =
 *                    (1/10, -3/10, ...), so the exact 3/10 - 3/10 = 0 is 5.55e-17 in double
 *                    (float code sees a smooth point). Not differentiable, the unit and sample
 *                    named; J <= L still.
 *   khk-separated    Section 5 (Theorem 2, Corollaries 1, 2): X > 0 and positive weights make the
 *                    first dy units of every hidden layer act linearly, condition iii of
 *                    Definition 1 holds by zero weights (theta in Theta_(dy,0)), and even
 *                    vectors also zero the weights from the other units into them (Definition 2:
 *                    strongly separated); odd ones keep them (weakly only, t_strong > 0).
 *                    Y = Yhat + R with R orthogonal to I (x) range(M) (M the path-masked X of
 *                    lmo/khk/thm2.h), so theta is a certified local minimum -- except every fourth
 *                    vector, whose R is orthogonal to [D D_1(H+1)] only: critical, local
 *                    minimality not certified, the three statements not applicable; at 7 mod 8
 *                    the linear chain's output weights are 0, so criticality does not force
 *                    the residual orthogonal to X and (5.1) can fail there: local minimality
 *                    is a hypothesis that matters.
 * As for every family, `expect` is computed by the oracle when the vector is blessed.
 */
#include "lmo/khk/khk.h"
#include "lmo/khk/thm2.h"
#include "lmo/core/vector_io.h"
#include "../core/gen_internal.h"

enum { KHK_CRITICAL, KHK_RANDOM, KHK_KINK, KHK_SEPARATED };

static void rand_qmat(fmpq_mat_t M, lmo_rng_t *r, slong pmax, slong qmax)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong p;
            do p = lmo_rng_uniform(r, -pmax, pmax); while (p == 0);
            fmpq_set_si(fmpq_mat_entry(M, i, j), p, (ulong) lmo_rng_uniform(r, 1, qmax));
        }
}

/* Entry p/q with p in [lo, hi] \ {0}, q in [1, qmax]. */
static void rand_q(fmpq_t x, lmo_rng_t *r, slong lo, slong hi, slong qmax)
{
    slong p;
    do p = lmo_rng_uniform(r, lo, hi); while (p == 0);
    fmpq_set_si(x, p, (ulong) lmo_rng_uniform(r, 1, qmax));
}

/* khk-separated's draw: S(l) = the first dy units of every hidden layer (lmo/khk/thm2.h). */
static void draw_separated(lmo_khk_t net, lmo_rng_t *r, slong index)
{
    static const char *const ACTS[] = {"relu", "leaky:1/5", "abs"};
    slong dy = index % 8 == 6 ? 2 : 1, H = index % 8 == 2 ? 1 : 2, d[4];
    int strong = index % 2 == 0;
    /* index 3 mod 4: more path masks than [D D_1(H+1)] has columns, so criticality does not
     * certify a minimum; 5 mod 8: as many, with enough samples to certify (Dhat != D matters) */
    int rich = index % 4 == 3 || index % 8 == 5;
    d[0] = rich ? 3 : 2;
    for (slong l = 1; l <= H; l++) d[l] = rich ? dy + 2 : lmo_rng_uniform(r, dy + 1, dy + 2);
    d[H + 1] = dy;
    slong dtheta = 0;
    for (slong l = 1; l <= H + 1; l++) dtheta += d[l - 1] * d[l];
    /* a residual orthogonal to [D D_1(H+1)] only (index 3 mod 4) needs m dy > d_theta */
    lmo_khk_init(net, H, d, index % 4 == 3 ? dtheta / dy + lmo_rng_uniform(r, 1, 3) :
                                  index % 8 == 5 ? lmo_rng_uniform(r, 28, 30) : lmo_rng_uniform(r, 8, 12));
    /* x = (3..5, |x_a| <= 5), W(1)[:, k] = (3..5, |w| <= 1) for k < dy: (X W(1))[:, k] > 0,
     * while the other units see both signs (varied activation patterns) */
    for (slong i = 0; i < net->m; i++)
        for (slong a = 0; a < d[0]; a++) rand_q(fmpq_mat_entry(net->X, i, a), r, a ? -5 : 3, 5, a ? 3 : 1);
    rand_qmat(net->Y, r, 5, 2);
    for (slong l = 1; l <= H + 1; l++)
        for (slong kp = 0; kp < d[l - 1]; kp++)
            for (slong k = 0; k < d[l]; k++) {
                fmpq *w = fmpq_mat_entry(net->W + l - 1, kp, k);
                int from_lin = l == 1 || kp < dy, to_lin = l <= H && k < dy;
                if (l == H + 1 && kp < dy && index % 8 == 7) fmpq_zero(w);   /* a dead-end chain */
                else if (l == H + 1) rand_q(w, r, -4, 4, 3);
                else if (l == 1 && to_lin) rand_q(w, r, kp ? -1 : 3, kp ? 1 : 5, kp ? 4 : 1);
                else if (from_lin && to_lin) rand_q(w, r, 1, 4, 3);          /* linear chain */
                else if (from_lin && l > 1) fmpq_zero(w);                     /* condition iii */
                else if (to_lin) { if (strong) fmpq_zero(w); else rand_q(w, r, -1, 1, 4); }
                else rand_q(w, r, -4, 4, 3);
            }
    lmo_err_t err;
    for (slong l = 0; l < H; l++)
        lmo_khk_act_set_str(net->act + l, ACTS[lmo_rng_below(r, 3)], "act", NULL, &err);
}

/* v := a random non-zero integer combination of a basis of the null space of A^T (v has
 * rows(A) rows, initialised by the caller; zero, and no draw, unless DRAW). Returns 0, or -1
 * when that null space is {0}. */
static int null_combo(fmpq_mat_t v, const fmpq_mat_t A, lmo_rng_t *r, int draw)
{
    slong n = fmpq_mat_nrows(A), c = fmpq_mat_ncols(A);
    fmpq_mat_t At, R;
    fmpq_mat_init(At, c, n);
    fmpq_mat_init(R, c, n);
    fmpq_mat_transpose(At, A);
    slong rank = c ? fmpq_mat_rref(R, At) : 0;
    fmpq_mat_zero(v);
    if (rank == n || !draw) {
        fmpq_mat_clear(At), fmpq_mat_clear(R);
        return rank == n ? -1 : 0;
    }
    /* kernel vector of each free column f: 1 at f, -R[i, f] at pivot i */
    slong *piv = flint_malloc(sizeof(slong) * (size_t) (rank + 1)), np = 0;
    for (slong i = 0, j = 0; i < rank; i++) {
        while (fmpq_is_zero(fmpq_mat_entry(R, i, j))) j++;
        piv[np++] = j++;
    }
    for (int any = 0; !any;)
        for (slong f = 0, p = 0; f < n; f++) {
            if (p < np && piv[p] == f) { p++; continue; }
            slong coef = lmo_rng_uniform(r, -2, 2);
            if (coef == 0) continue;
            any = 1;
            fmpq_add_si(fmpq_mat_entry(v, f, 0), fmpq_mat_entry(v, f, 0), coef);
            for (slong i = 0; i < np; i++) {
                fmpq_t t;
                fmpq_init(t);
                fmpq_mul_si(t, fmpq_mat_entry(R, i, f), coef);
                fmpq_sub(fmpq_mat_entry(v, piv[i], 0), fmpq_mat_entry(v, piv[i], 0), t);
                fmpq_clear(t);
            }
        }
    flint_free(piv);
    fmpq_mat_clear(At), fmpq_mat_clear(R);
    return 0;
}

/* Y := Yhat + R, R[:, j] in the null space of M^T for each output j (M of lmo/khk/thm2.h): a
 * certified local minimum. Returns 0, or -1 when that null space is {0}. */
static int plant_pattern(lmo_khk_t net, lmo_rng_t *r)
{
    lmo_khk_result_t res;
    lmo_err_t err;
    lmo_khk_result_init(res);
    int rc = lmo_khk_compute(res, net, NULL, &err) == LMO_OK ? 0 : -1;
    fmpq_mat_t M, v;
    fmpq_mat_init(v, net->m, 1);
    if (lmo_khk_pattern_matrix(M, res->Lam, net->H, net->d, net->X) < 0) rc = -1;
    for (slong j = 0; j < net->d[net->H + 1] && rc == 0; j++) {
        rc = null_combo(v, M, r, 1);
        for (slong i = 0; i < net->m && rc == 0; i++)
            fmpq_add(fmpq_mat_entry(net->Y, i, j), fmpq_mat_entry(res->Phi + net->H + 1, i, j),
                     fmpq_mat_entry(v, i, 0));
    }
    fmpq_mat_clear(M), fmpq_mat_clear(v);
    lmo_khk_result_clear(res);
    return rc;
}

/* One draw of the network's shape, activations and weights. */
static void draw(lmo_khk_t net, lmo_rng_t *r, slong index, int fam)
{
    static const char *const ACTS[] = {"relu", "leaky:1/5", "abs", "leaky:-1/2", "relu"};
    int prop1 = fam == KHK_CRITICAL ? index % 3 == 0 : index % 2 == 0;
    slong H = prop1 ? 1 : lmo_rng_uniform(r, 1, 2), d[4];
    d[0] = lmo_rng_uniform(r, fam == KHK_KINK && index % 2 ? 2 : 1, 3);
    for (slong l = 1; l <= H; l++) d[l] = lmo_rng_uniform(r, 1, 3);
    d[H + 1] = prop1 ? 1 : lmo_rng_uniform(r, 1, 2);
    slong dtheta = 0;
    for (slong l = 1; l <= H + 1; l++) dtheta += d[l - 1] * d[l];
    /* critical points need n = m dy > rank [D D_1(H+1)]: m > dtheta / dy */
    slong m = fam == KHK_CRITICAL ? dtheta / d[H + 1] + lmo_rng_uniform(r, 1, 3)
                                  : lmo_rng_uniform(r, 2, 6);
    lmo_khk_init(net, H, d, m);
    rand_qmat(net->X, r, 5, 3);
    rand_qmat(net->Y, r, 5, 2);
    for (slong l = 0; l <= H; l++) rand_qmat(net->W + l, r, 4, 3);
    lmo_err_t err;
    for (slong l = 0; l < H; l++)
        lmo_khk_act_set_str(net->act + l, ACTS[lmo_rng_below(r, 5)], "act", NULL, &err);
}

/* Y := Yhat + R, vec(R) a random non-zero integer combination of the null space of A^T
 * (zero when REALISABLE). Returns 0, or -1 when that null space is {0}. */
static int plant(lmo_khk_t net, lmo_rng_t *r, int realisable)
{
    fmpq_mat_t A, v, yhat, w;
    lmo_khk_path_matrix(A, net);
    slong n = fmpq_mat_nrows(A), c = fmpq_mat_ncols(A), m = net->m, H = net->H;
    fmpq_mat_init(v, n, 1);
    int rc = null_combo(v, A, r, !realisable);
    if (rc == 0) {
        /* Yhat = Phi(H) W(H+1): the last block of A times vec(W(H+1)) */
        lmo_khk_vec(w, net->W + H);
        fmpq_mat_init(yhat, n, 1);
        for (slong i = 0; i < n; i++)
            for (slong a = 0; a < fmpq_mat_nrows(w); a++)
                fmpq_addmul(fmpq_mat_entry(yhat, i, 0), fmpq_mat_entry(A, i, c - fmpq_mat_nrows(w) + a),
                            fmpq_mat_entry(w, a, 0));
        for (slong j = 0; j < net->d[H + 1]; j++)
            for (slong i = 0; i < m; i++)
                fmpq_add(fmpq_mat_entry(net->Y, i, j), fmpq_mat_entry(yhat, j * m + i, 0),
                         fmpq_mat_entry(v, j * m + i, 0));
        fmpq_mat_clear(w), fmpq_mat_clear(yhat);
    }
    fmpq_mat_clear(v), fmpq_mat_clear(A);
    return rc;
}

/* Makes X[i, last] solve (X W(1))[i, k] = 0; 0, or -1 when W(1)[last, k] = 0. */
static int force_kink(lmo_khk_t net, slong i, slong k)
{
    slong last = net->d[0] - 1;
    if (fmpq_is_zero(fmpq_mat_entry(net->W, last, k))) return -1;
    fmpq_t z;
    fmpq_init(z);
    for (slong a = 0; a < last; a++)
        fmpq_addmul(z, fmpq_mat_entry(net->X, i, a), fmpq_mat_entry(net->W, a, k));
    fmpq_div(z, z, fmpq_mat_entry(net->W, last, k));
    fmpq_neg(fmpq_mat_entry(net->X, i, last), z);
    fmpq_clear(z);
    return 0;
}

/* x_i = (3, 1, 0, ...), W(1)[0..1, k] = (1/10, -3/10): exactly 0, 3*0.1 - 0.3 in double. */
static void force_decimal_kink(lmo_khk_t net, slong i, slong k)
{
    for (slong a = 0; a < net->d[0]; a++) fmpq_set_si(fmpq_mat_entry(net->X, i, a), a == 0 ? 3 : a == 1, 1);
    fmpq_set_si(fmpq_mat_entry(net->W, 0, k), 1, 10);
    fmpq_set_si(fmpq_mat_entry(net->W, 1, k), -3, 10);
}

static json_t *make(lmo_rng_t *r, slong index, json_t *flags, int fam)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        lmo_khk_t net;
        if (fam == KHK_SEPARATED) draw_separated(net, r, index);
        else draw(net, r, index, fam);
        int ok = 1;
        if (fam == KHK_KINK) {
            slong i = lmo_rng_below(r, (ulong) net->m), k = lmo_rng_below(r, (ulong) net->d[1]);
            if (fmpq_is_one(net->act->a)) ok = 0;
            else if (index % 2) force_decimal_kink(net, i, k);
            else if (force_kink(net, i, k)) ok = 0;
        }
        if (ok && fam == KHK_CRITICAL && plant(net, r, index % 4 == 3)) ok = 0;
        int certify = index % 4 != 3;   /* khk-separated */
        if (ok && fam == KHK_SEPARATED && (certify ? plant_pattern(net, r) : plant(net, r, 0))) ok = 0;
        if (ok) {   /* the family's promise about differentiability, checked on the draw */
            lmo_khk_result_t res;
            lmo_err_t err;
            lmo_khk_result_init(res);
            ok = lmo_khk_compute(res, net, NULL, &err) == LMO_OK &&
                 res->differentiable == (fam != KHK_KINK) &&
                 (fam != KHK_KINK || (res->kink_layer == 1));
            /* ... and Section 5's: t_weak = 0, certified or not, strong iff even (H >= 2) */
            if (ok && fam == KHK_SEPARATED)
                ok = res->critical && res->thm2->t_weak == 0 && res->thm2->lm == certify &&
                     (net->H == 1 || (res->thm2->t_strong == 0) == (index % 2 == 0));
            lmo_khk_result_clear(res);
        }
        if (ok) {
            json_t *in = lmo_khk_input_to_json(net);
            lmo_khk_clear(net);
            /* the construction's mark; Critical / NotDifferentiable come from the verdict */
            if (fam == KHK_CRITICAL)
                json_array_append_new(flags, json_string(index % 4 == 3 ? "Realizable" : "PlantedResidual"));
            else if (fam == KHK_KINK)
                json_array_append_new(flags, json_string("ExactZeroPreactivation"));
            else if (fam == KHK_SEPARATED) {
                json_array_append_new(flags, json_string(index % 2 ? "WeaklySeparated" : "StronglySeparated"));
                json_array_append_new(flags, json_string(index % 4 != 3 ? "CertifiedLocalMin" : "PlantedResidual"));
            }
            return in;
        }
        lmo_khk_clear(net);
    }
    return NULL;
}

json_t *lmo_gen_khk_critical(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, KHK_CRITICAL); }
json_t *lmo_gen_khk_random(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, KHK_RANDOM); }
json_t *lmo_gen_khk_kink(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, KHK_KINK); }
json_t *lmo_gen_khk_separated(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, KHK_SEPARATED); }

