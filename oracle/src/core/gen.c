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
    { "kr-generic", "khatri_rao_rank", "random Khatri-Rao products A o X, N <= d0*d1 (Lemma 3)", lmo_gen_kr_generic,
      "Soudry-Carmon Lemma 3: \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" (A o X of full rank N)" },
    { "kr-near-deficient", "khatri_rao_rank", "exactly full rank, smallest singular value ~2^-70", lmo_gen_kr_near_deficient,
      NULL },
    { "kr-hidden-deficient", "khatri_rao_rank", "exactly deficient, entries ~1e18 so rounding noise beats abs:1e-10", lmo_gen_kr_hidden_deficient,
      NULL },
    { "matrix-kahan", "matrix_rank", "Kahan's matrix with rational c, s: full rank, tiny sigma_min", lmo_gen_kahan,
      NULL },
    { "matrix-graded", "matrix_rank", "row and column scales 10^-(k i + l j): full rank, graded", lmo_gen_graded,
      NULL },
    { "deep-linear-global-min", "deep_linear", "Kawaguchi 2.3: a global minimum (top eigenvectors of Sigma)", lmo_gen_dl_global_min,
      "Kawaguchi 2016 Theorem 2.3 (ii): \"Every local minimum is a global minimum.\" (holds: a global minimum, certified)" },
    { "deep-linear-strict-saddle", "deep_linear", "a saddle on non-top eigenvectors: negative Hessian eigenvalue", lmo_gen_dl_strict_saddle,
      "Kawaguchi 2016 Theorem 2.3 (iii): \"Every critical point that is not a global minimum is a saddle point.\" and (iv): \"If rank(W_H ... W_2) = p, then the Hessian at any saddle point has at least one (strictly) negative eigenvalue.\"" },
    { "deep-linear-bad-saddle", "deep_linear", "H >= 2, zero weights or Case III in tilted bases: critical, Hessian >= 0, not a minimum", lmo_gen_dl_bad_saddle,
      "Kawaguchi 2016 Corollary 2.4: \"for networks deeper than three layers (i.e., H >= 2), there exist saddle points at which the Hessian does not have any negative eigenvalue.\" (holds: such a saddle, with exact descent and ascent curves)" },
    { "deep-linear-not-critical", "deep_linear", "a global minimum moved by 1e-30: not critical, floats say critical", lmo_gen_dl_not_critical,
      "Kawaguchi 2016 Lemma 4.1: \"W is a critical point of L(W) if and only if for all k in {1, ..., H + 1}\" its block of the gradient vanishes; here it does not, so Theorem 2.3 (iii) and (iv), about critical points, are not_applicable" },
    { "deep-linear-proof-c1", "deep_linear", "H = 2, W1 = W2 = 0, W3 != 0: the proof of Corollary 2.4 (Appendix C.1) says the Hessian is zero; it is not (an erratum, violated)", lmo_gen_dl_proof_c1,
      "Kawaguchi 2016 Appendix C.1 (proof of Corollary 2.4): \"every diagonal and off-diagonal element of the Hessian is zero if W_H = W_{H-1} = ... = W_2 = W_1 = 0\" (violated for H = 2 with W3 != 0: an erratum of the proof)" },
    { "deep-linear-near-critical", "deep_linear", "a global minimum (even index) or strict saddle (odd) moved by 2^-30: near-critical report", lmo_gen_dl_near_critical,
      "Kawaguchi 2016 Theorem 2.3 (iii): \"Every critical point that is not a global minimum is a saddle point.\" -- not_applicable: the point is 2^-30 from a critical point, not critical (the near-critical report instead)" },
    { "mnn-random", "mnn", "Soudry-Carmon net, L = 2 or 3, rational dropout, N <= d(L-2) d(L-1)", lmo_gen_mnn_random,
      "Soudry-Carmon Lemma 3 (L = 2): \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" and Theorem 5's step (B.2) (L = 3): rank G_{L-1} = N almost everywhere (both hold); Theorem 4 and Theorem 5 themselves (\"any differentiable local minimum [...] is also a global minimum, with MSE = 0\") are not_applicable: a random point is not critical" },
    { "mnn-near-critical", "mnn", "an interpolating net (e = 0, every gradient entry 0) with every weight moved by 2^-30: near-critical report", lmo_gen_mnn_near_critical, NULL },
    { "mnn-exact-zero", "mnn", "a pre-activation exactly 0 (3/10 - 3 * 1/10) that doubles see as 5.55e-17", lmo_gen_mnn_exact_zero,
      "Soudry-Carmon Theorem 4: \"all differentiable local minima of eq. (4.1) are global minima with MSE = 0\" -- not_applicable: a pre-activation is exactly 0, the point is not differentiable" },
    { "patterns-dropout", "mnn_patterns", "Soudry-Carmon Lemma 3 holds: every activation pattern with dropout has full rank", lmo_gen_patterns_dropout,
      "Soudry-Carmon Lemma 3: \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" (holds: every pattern of full rank)" },
    { "patterns-no-dropout", "mnn_patterns", "every activation pattern, E = 1: deficient patterns listed", lmo_gen_patterns_no_dropout,
      "Soudry-Carmon Lemma 3: \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" With E1 = 1 (Section 6: \"without dropout, this analysis is not guaranteed to hold\"): exceptional when a pattern is deficient, else holds; not_applicable when N > d1 d0" },
    { "patterns-exceptional", "mnn_patterns", "Soudry-Carmon Lemma 3, exceptional: two samples parallel in X and E1", lmo_gen_patterns_exceptional,
      "Soudry-Carmon Lemma 3: \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" (exceptional: (X, E1) in the null set, two samples parallel)" },
    { "patterns-too-many-samples", "mnn_patterns", "Soudry-Carmon Lemma 3, not applicable: N > d0 d1", lmo_gen_patterns_too_many_samples,
      "Soudry-Carmon Lemma 3: \"For L = 2, if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere.\" (not_applicable: N > d1 d0)" },
    { "witness-lemma8", "witness", "Lemma 8 witnesses (B.3)-(B.6): widths d0..dL (L <= 4, <= 5), N <= d(L-2) d(L-1)", lmo_gen_witness_lemma8,
      "Soudry-Carmon Fact 2: \"For B in R^{d_B x N} and C in R^{d_C x N} with N <= d_B d_C, we have, (B, C) almost everywhere, rank(B o C) = N\", proved with Lemma 8: \"we assume that for some value theta0, we have rank(M(theta0)) = b. Then, for almost every theta, we have rank(M(theta)) = b.\" and the witness (B.3)-(B.6) as theta0 (holds: G'_{L-1} = [I]_{1..N})" },
    { "khk-critical", "khk", "Kawaguchi-Huang-Kaelbling Theorem 1: residual planted orthogonal to [D D_1(H+1)]: L = J", lmo_gen_khk_critical,
      "Kawaguchi-Huang-Kaelbling Theorem 1: \"Every differentiable local minimum theta of L satisfies that\" L(theta) = (4.2) = J(theta) (holds at this differentiable critical point)" },
    { "khk-random", "khk", "random deep ReLU/leaky/abs points, no kink: not critical, J < L", lmo_gen_khk_random,
      "Kawaguchi-Huang-Kaelbling Theorem 1: \"Every differentiable local minimum theta of L satisfies that\" L(theta) = (4.2) (not_applicable: not critical; J <= L checked)" },
    { "khk-kink", "khk", "a pre-activation exactly 0 in hidden layer 1: not differentiable, Theorem 1 not applicable", lmo_gen_khk_kink,
      "Kawaguchi-Huang-Kaelbling Theorem 1: \"Every differentiable local minimum theta of L satisfies that\" L(theta) = (4.2) (not_applicable: a pre-activation exactly 0)" },
    { "khk-separated", "khk", "Kawaguchi-Huang-Kaelbling Theorem 2, Corollaries 1-2: linear units weakly / strongly separated, certified local minima (and critical points not certified)", lmo_gen_khk_separated,
      "Kawaguchi-Huang-Kaelbling Theorem 2: \"For any t in {0, 1, ..., H}, every differentiable local minimum theta in Theta_{d_{H+1},t} of L satisfies\" the bound (5.1) for every subsequence S of {t, ..., H}" },
    { "nh-lemma43", "nguyen_hein", "Nguyen-Hein Lemma 4.3's construction (k = 1 or 2): rank [F_k, 1] = N certified", lmo_gen_nh_lemma43,
      "Nguyen-Hein Lemma 4.3: \"there exists at least one set of parameters (W_l, b_l)_{l=1}^k such that rank([F_k, 1_N]) = N.\" (the proof's construction)" },
    { "nh-random", "nguyen_hein", "Nguyen-Hein net, random rational parameters, a layer with n_k >= N - 1 (Lemma 4.4)", lmo_gen_nh_random,
      "Nguyen-Hein Lemma 4.4: \"the set S := {(W_l, b_l)_{l=1}^k | rank([F_k, 1_N]) < N} has Lebesgue measure zero.\" (holds: rank N certified)" },
    { "nh-saturated", "nguyen_hein", "sigmoid/tanh weights ~100: doubles lose rank [F_1, 1], balls keep it", lmo_gen_nh_saturated,
      "Nguyen-Hein Lemma 4.4: \"the set S := {(W_l, b_l)_{l=1}^k | rank([F_k, 1_N]) < N} has Lebesgue measure zero.\" (holds in balls where doubles lose the rank)" },
    { "nh-duplicate-units", "nguyen_hein", "two identical units, n_1 = N - 1: rank [F_1, 1] = N - 1, Lemma 4.4 exceptional", lmo_gen_nh_duplicate_units,
      "Nguyen-Hein Lemma 4.4: \"the set S := {(W_l, b_l)_{l=1}^k | rank([F_k, 1_N]) < N} has Lebesgue measure zero.\" (exceptional: two identical units)" },
    { NULL, NULL, NULL, NULL, NULL }
};

const lmo_gen_family_t *lmo_gen_families(void) { return FAMILIES; }

const lmo_gen_family_t *lmo_gen_family_find(const char *name)
{
    for (int i = 0; FAMILIES[i].name; i++)
        if (strcmp(FAMILIES[i].name, name) == 0) return &FAMILIES[i];
    return NULL;
}
