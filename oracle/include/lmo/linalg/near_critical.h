/*
 * lmo/linalg/near_critical.h -- the near-critical report of a point that is not exactly
 * critical (issue 20: a point trained in float): how far from critical it is, and what
 * its curvature certainly is. Filled by lmo_deep_linear_near_critical (Kawaguchi 2016,
 * Lemma 4.1 gradient, Lemma 4.3 Hessian, L* of Section 2 / Appendix C.1) and
 * lmo_mnn_near_critical (Soudry-Carmon (5.1) gradient, (5.6) Hessian where the MSE is
 * differentiable).
 *
 * Mirrors no paper statement; it states facts, each certified, and a verdict in words:
 *  - gradient_norm: |grad|^2 exactly (rational) and |grad| as an arb enclosure;
 *  - hessian_eigenvalues: certified enclosures (lmo/linalg/eig_enclose.h), counted
 *    certainly negative / certainly positive / undecided (the ball holds 0) at the
 *    precision reached; the exact inertia (Sylvester, lmo/linalg/inertia.h) beside them,
 *    and a certified sign contradicting it is an internal error (LMO_ELIMIT);
 *  - loss_gap: loss - L* exactly where the paper gives the global minimum value L*
 *    (deep linear), or an enclosure [lo, hi] when L* is irrational;
 *  - verdict, with these rules (what is claimed is only what is certified):
 *      lmo calls the point near-critical when |grad| <= 2^-20 max|lambda| is certified
 *        (a scale-free "small"); otherwise the verdict says so, states the certified
 *        curvature at the point and claims nothing about a nearby critical point;
 *      a certified negative eigenvalue lambda_min: "a second-order descent direction";
 *        when lambda_min < -sqrt(|grad|) certainly (the Nesterov-Polyak test of an
 *        approximate second-order stationary point fails, with Hessian-Lipschitz
 *        constant 1) the point is "not minimum-like" and heuristically near a strict
 *        saddle; otherwise the negative curvature is small against the gradient's scale
 *        and no verdict is drawn;
 *      every eigenvalue certainly positive, the smallest >= mu: minimum-like curvature,
 *        and the Newton step H^{-1} grad has length <= |grad| / mu (certified); lmo does
 *        NOT claim a local minimum within that distance (that needs a bound on how the
 *        Hessian varies, which lmo does not compute);
 *      otherwise: k eigenvalues undecided at precision P, no second-order verdict.
 *
 * JSON (the member "near_critical" of a deep_linear or mnn verdict, moved to the vector's
 * `report`: lmo-check does not certify it). Every enclosure is {"mid": "...", "rad":
 * "..."} with exact decimal strings, [mid - rad, mid + rad] containing the value
 * (Python: Decimal(mid), Decimal(rad)); rationals are lmo number strings:
 *   "gradient_norm": {"squared": rational, "enclosure": {mid, rad}},
 *   "hessian_eigenvalues": [{mid, rad}, ...] ascending (members of one Gershgorin
 *        component share its enclosure; the decimal balls of two close components may
 *        overlap, none lies entirely below the one before), or null (no Hessian: see
 *        "note"; or no enclosure could be proven),
 *   "hessian_signs": {"negative", "positive", "undecided", "precision"} (integers;
 *        precision in bits), "hessian_inertia": {"positive", "negative", "zero"} (exact),
 *   "loss_gap": {"exact": rational} or {"lo": rational, "hi": rational} (deep linear),
 *   "note": string (only without a Hessian), "verdict": string.
 */
#ifndef LMO_LINALG_NEAR_CRITICAL_H
#define LMO_LINALG_NEAR_CRITICAL_H

#include <stddef.h>
#include <jansson.h>
#include <arb.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include "lmo/core/common.h"
#include "lmo/linalg/eig_enclose.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Precisions of the eigenvalue enclosures (bits): first attempt, cap. */
#define LMO_NEAR_CRITICAL_PREC 64
#define LMO_NEAR_CRITICAL_PREC_CAP 512

typedef struct {
    fmpq_t grad_sq;            /* |grad|^2, exact */
    arb_t grad_norm;           /* |grad|, enclosed */
    int have_hessian;          /* 0: no Hessian here (note says why) */
    lmo_eig_enclose_t eig;
    slong npos, nneg, nzero;   /* the exact inertia */
    int have_gap, gap_exact;
    fmpq_t gap_lo, gap_hi;     /* loss - L* in [gap_lo, gap_hi] (equal when exact) */
    char note[200];
    char verdict[1000];
} lmo_near_critical_struct;
typedef lmo_near_critical_struct lmo_near_critical_t[1];

void lmo_near_critical_init(lmo_near_critical_t nc);
void lmo_near_critical_clear(lmo_near_critical_t nc);

/* Fill nc for the gradient g (n x 1) and the Hessian Z / den (NULL Z: none, then `note`
 * says why) with exact inertia (npos, nneg, nzero); gap_lo, gap_hi (NULL: no L*) bound
 * loss - L*. Enclosures at LMO_NEAR_CRITICAL_PREC doubling up to prec_cap, or until only
 * the nzero exact zero eigenvalues are undecided (no precision decides those).
 * LMO_OK; LMO_EINPUT for a non-symmetric Hessian; LMO_ELIMIT (err) when a certified sign
 * contradicts the inertia -- a bug in lmo. */
int lmo_near_critical_set(lmo_near_critical_t nc, const fmpq_mat_t g, const fmpz_mat_t Z,
                          const fmpz_t den, slong npos, slong nneg, slong nzero,
                          const fmpq_t gap_lo, const fmpq_t gap_hi, const char *note,
                          slong prec_cap, lmo_err_t *err);

/* The JSON above (new reference). */
json_t *lmo_near_critical_to_json(const lmo_near_critical_t nc);

/* "mid +- rad" of a ball with `digits` significant digits into buf ("mid" alone when
 * exact, "unbounded" when not finite); "≈ mid" style: lmo_arb_snprint_mid. */
void lmo_arb_snprint(char *buf, size_t cap, const arb_t x, slong digits);
void lmo_arb_snprint_mid(char *buf, size_t cap, const arb_t x, slong digits);

#ifdef __cplusplus
}
#endif
#endif
