/*
 * lmo/khk/prop1.h -- Proposition 1 of Kawaguchi, Huang & Kaelbling (2019), Section 3: one
 * hidden layer, scalar output (H = 1, dy = 1, Yhat = sigma(X W(1)) W(2), (3.1)). Every
 * differentiable local minimum satisfies (3.2)
 *     L = 1/2 ||Y||^2 - 1/2 ||P[N_1(2) Phi(1)] Y||^2 - sum_k 1/2 ||P[N_k(1) D_k(1)] Y||^2,
 * D_k(1) = W(2)_k Lambda(1,k) X, N_1(1) = I_m, N_k(1) = P_N[Qbar_(k-1)(1)],
 * N_1(2) = P_N[Qbar_d(1)], Q_k(1) = N_k(1) D_k(1).
 *
 * This is lmo's SECOND, independent implementation of the right side of (4.2) for H = 1: it
 * redoes the forward pass from X, W(1), W(2) and the activation, builds D_k(1) directly from
 * the formula above (not from the path gains of lmo/khk/khk.h) and projects by exact
 * Gram-Schmidt in R^m -- an orthogonal (unnormalised) basis u_1, u_2, ... of the columns seen
 * so far, each new column reduced against it, and ||P[Q] Y||^2 = sum over the new u of
 * (u.Y)^2 / (u.u) -- instead of rref bases and normal equations. tests/unit/test_khk.c and
 * lmo_khk_compute compare it with the general code.
 */
#ifndef LMO_KHK_PROP1_H
#define LMO_KHK_PROP1_H

#include "lmo/khk/khk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* J := the right side of (3.2) at NET; terms (may be NULL) := the d + 1 halves
 * 1/2 ||P[N_k(1) D_k(1)] Y||^2 (k = 1..d), then 1/2 ||P[N_1(2) Phi(1)] Y||^2 (terms must
 * hold d + 1 initialised fmpq). Returns 0, or -1 unless H = 1 and dy = 1. */
int lmo_khk_prop1_J(fmpq_t J, fmpq *terms, const lmo_khk_t net);

#ifdef __cplusplus
}
#endif
#endif
