/* The table of generator families and their seeding (see lmo/core/gen.h). */
#include <string.h>
#include "gen_internal.h"

void lmo_gen_rng(lmo_rng_t *rng, const char *family, ulong seed, slong index)
{
    ulong h = UWORD(0xcbf29ce484222325);
    for (const char *c = family; *c; c++) h = (h ^ (unsigned char) *c) * UWORD(0x100000001b3);
    h ^= seed * UWORD(0x9e3779b97f4a7c15);
    h = (h ^ (h >> 29)) * UWORD(0xbf58476d1ce4e5b9);
    h ^= (ulong) index * UWORD(0xd6e8feb86659fd93);
    lmo_rng_seed(rng, h);
}

static const lmo_gen_family_t FAMILIES[] = {
    { "kr-generic", "khatri_rao_rank", "random Khatri-Rao products A o X, N <= d0*d1 (Lemma 3)", lmo_gen_kr_generic },
    { "kr-near-deficient", "khatri_rao_rank", "exactly full rank, smallest singular value ~2^-70", lmo_gen_kr_near_deficient },
    { "kr-hidden-deficient", "khatri_rao_rank", "exactly deficient, entries ~1e18 so rounding noise beats abs:1e-10", lmo_gen_kr_hidden_deficient },
    { "matrix-kahan", "matrix_rank", "Kahan's matrix with rational c, s: full rank, tiny sigma_min", lmo_gen_kahan },
    { "matrix-graded", "matrix_rank", "row and column scales 10^-(k i + l j): full rank, graded", lmo_gen_graded },
    { "deep-linear-global-min", "deep_linear", "Kawaguchi 2.3: a global minimum (top eigenvectors of Sigma)", lmo_gen_dl_global_min },
    { "deep-linear-strict-saddle", "deep_linear", "a saddle on non-top eigenvectors: negative Hessian eigenvalue", lmo_gen_dl_strict_saddle },
    { "deep-linear-bad-saddle", "deep_linear", "H >= 2, zero weights or Case III in tilted bases: critical, Hessian >= 0, not a minimum", lmo_gen_dl_bad_saddle },
    { "deep-linear-not-critical", "deep_linear", "a global minimum moved by 1e-30: not critical, floats say critical", lmo_gen_dl_not_critical },
    { "deep-linear-proof-c1", "deep_linear", "H = 2, W1 = W2 = 0, W3 != 0: the proof of Corollary 2.4 (Appendix C.1) says the Hessian is zero; it is not (an erratum, violated)", lmo_gen_dl_proof_c1 },
    { "deep-linear-near-critical", "deep_linear", "a global minimum (even index) or strict saddle (odd) moved by 2^-30: near-critical report", lmo_gen_dl_near_critical },
    { "mnn-random", "mnn", "Soudry-Carmon net, L = 2 or 3, rational dropout, N <= d(L-2) d(L-1)", lmo_gen_mnn_random },
    { "mnn-near-critical", "mnn", "an interpolating net (e = 0, every gradient entry 0) with every weight moved by 2^-30: near-critical report", lmo_gen_mnn_near_critical },
    { "mnn-exact-zero", "mnn", "a pre-activation exactly 0 (3/10 - 3 * 1/10) that doubles see as 5.55e-17", lmo_gen_mnn_exact_zero },
    { "patterns-dropout", "mnn_patterns", "Soudry-Carmon Lemma 3 holds: every activation pattern with dropout has full rank", lmo_gen_patterns_dropout },
    { "patterns-no-dropout", "mnn_patterns", "every activation pattern, E = 1: deficient patterns listed", lmo_gen_patterns_no_dropout },
    { "patterns-exceptional", "mnn_patterns", "Soudry-Carmon Lemma 3, exceptional: two samples parallel in X and E1", lmo_gen_patterns_exceptional },
    { "patterns-too-many-samples", "mnn_patterns", "Soudry-Carmon Lemma 3, not applicable: N > d0 d1", lmo_gen_patterns_too_many_samples },
    { "witness-lemma8", "witness", "Lemma 8 witnesses (B.3)-(B.6): widths d0..dL (L <= 4, <= 5), N <= d(L-2) d(L-1)", lmo_gen_witness_lemma8 },
    { "khk-critical", "khk", "Kawaguchi-Huang-Kaelbling Theorem 1: residual planted orthogonal to [D D_1(H+1)]: L = J", lmo_gen_khk_critical },
    { "khk-random", "khk", "random deep ReLU/leaky/abs points, no kink: not critical, J < L", lmo_gen_khk_random },
    { "khk-kink", "khk", "a pre-activation exactly 0 in hidden layer 1: not differentiable, Theorem 1 not applicable", lmo_gen_khk_kink },
    { "khk-separated", "khk", "Kawaguchi-Huang-Kaelbling Theorem 2, Corollaries 1-2: linear units weakly / strongly separated, certified local minima (and critical points not certified)", lmo_gen_khk_separated },
    { "nh-lemma43", "nguyen_hein", "Nguyen-Hein Lemma 4.3's construction (k = 1 or 2): rank [F_k, 1] = N certified", lmo_gen_nh_lemma43 },
    { "nh-random", "nguyen_hein", "Nguyen-Hein net, random rational parameters, a layer with n_k >= N - 1 (Lemma 4.4)", lmo_gen_nh_random },
    { "nh-saturated", "nguyen_hein", "sigmoid/tanh weights ~100: doubles lose rank [F_1, 1], balls keep it", lmo_gen_nh_saturated },
    { "nh-duplicate-units", "nguyen_hein", "two identical units, n_1 = N - 1: rank [F_1, 1] = N - 1, Lemma 4.4 exceptional", lmo_gen_nh_duplicate_units },
    { NULL, NULL, NULL, NULL }
};

const lmo_gen_family_t *lmo_gen_families(void) { return FAMILIES; }

const lmo_gen_family_t *lmo_gen_family_find(const char *name)
{
    for (int i = 0; FAMILIES[i].name; i++)
        if (strcmp(FAMILIES[i].name, name) == 0) return &FAMILIES[i];
    return NULL;
}
