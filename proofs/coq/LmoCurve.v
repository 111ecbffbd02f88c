(* LmoCurve: soundness of the "not a local minimum" certificate.

   Checker rule: the certificate is a polynomial curve
   theta(t) = theta + t D1 + t^2 D2 + ...; the checker expands
   p(t) = loss(theta(t)) exactly in Q[t] and checks that the first non-zero
   coefficient after the constant term is negative.
     - curve_descent        : such a p has p(t) < p(0) for all 0 < t < eps,
                              with eps > 0 given explicitly by the coefficients
     - curve_close          : each coordinate of the curve moves by at most
                              t * (sum of |coefficients|) for 0 <= t <= 1
     - curve_not_local_min  : hence theta is not a local minimum of the loss
                              (in the max-norm, i.e. any norm on R^n)
   Works over any real (ordered) field, in particular rat. *)

From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Curve.
Variable R : realFieldType.

(* p with its first k coefficients dropped: sum_i p_(i+k) X^i. *)
Definition pdrop (k : nat) (p : {poly R}) : {poly R} := \poly_(i < size p) p`_(i + k).

Lemma coef_pdrop k p i : (pdrop k p)`_i = p`_(i + k).
Proof.
rewrite coef_poly; case: ltnP => // h.
by rewrite nth_default // (leq_trans h) // leq_addr.
Qed.

(* If p_1 = ... = p_(k-1) = 0 then p = p_0 + X^k (p_k + p_(k+1) X + ...). *)
Lemma poly_split k (p : {poly R}) :
  (0 < k)%N -> (forall i, (0 < i < k)%N -> p`_i = 0) ->
  p = (p`_0)%:P + 'X^k * pdrop k p.
Proof.
move=> k_gt0 low; apply/polyP => i; rewrite coefD coefC coefXnM coef_pdrop.
case: i => [|i] /=; first by rewrite k_gt0 addr0.
rewrite add0r; case: ltnP => [ik|ki]; first by rewrite low.
by rewrite subnK.
Qed.

Lemma poly_shift (p : {poly R}) : p = (p`_0)%:P + 'X * pdrop 1 p.
Proof. by rewrite {1}(@poly_split 1 p) // => i /andP[/leq_trans h /h]. Qed.

(* sum of |coefficients|: bounds |q(t)| on [0, 1] *)
Definition coef_abs_sum (q : {poly R}) : R := \sum_(i < size q) `|q`_i|.

Lemma coef_abs_sum_ge0 q : 0 <= coef_abs_sum q.
Proof. by rewrite sumr_ge0 // => i _; rewrite normr_ge0. Qed.

Lemma horner_bound (q : {poly R}) (t : R) :
  0 <= t -> t <= 1 -> `|q.[t]| <= coef_abs_sum q.
Proof.
move=> t_ge0 t_le1; rewrite horner_coef (le_trans (ler_norm_sum _ _ _)) //.
apply: ler_sum => i _; rewrite normrM normrX ler_pimulr ?normr_ge0 //.
by rewrite exprn_ile1 ?normr_ge0 // ger0_norm.
Qed.

(* Continuity of the curve at 0, with an explicit modulus. *)
Lemma curve_close (c : {poly R}) (t : R) :
  0 <= t -> t <= 1 -> `|c.[t] - c.[0]| <= t * coef_abs_sum (pdrop 1 c).
Proof.
move=> t_ge0 t_le1; rewrite {1}[c]poly_shift horner_coef0.
rewrite hornerD hornerC hornerM hornerX addrC addKr normrM ger0_norm //.
by rewrite ler_wpmul2l // horner_bound.
Qed.

(* The checker's hypothesis on p = loss(theta(t)): the first non-zero
   coefficient after the constant one is p_k < 0.  The explicit
   eps = -p_k / (S + 1 - p_k), S = sum_(i >= k+1) |p_i|, works. *)
Theorem curve_descent (p : {poly R}) (k : nat) :
  (0 < k)%N -> p`_k < 0 -> (forall i, (0 < i < k)%N -> p`_i = 0) ->
  exists2 eps, 0 < eps & forall t, 0 < t < eps -> p.[t] < p.[0].
Proof.
move=> k_gt0 ck_lt0 low.
set c := p`_k; set s := pdrop 1 (pdrop k p); set S := coef_abs_sum s.
have S_ge0 : 0 <= S by apply: coef_abs_sum_ge0.
have den_gt0 : 0 < S + 1 - c.
  by apply: addr_gt0; [exact: ltr_paddl S_ge0 ltr01 | rewrite oppr_gt0].
exists (- c / (S + 1 - c)); first by rewrite divr_gt0 ?oppr_gt0.
move=> t /andP[t_gt0 t_lt_eps].
have t_le1 : t <= 1.
  rewrite ltW // (lt_le_trans t_lt_eps) // ler_pdivr_mulr // mul1r.
  by rewrite ler_addr addr_ge0 ?ler01.
have tS_lt : t * S < - c.
  rewrite (le_lt_trans (_ : _ <= t * (S + 1 - c))) //.
    apply: ler_wpmul2l; first exact: ltW.
    by rewrite -addrA ler_addl addr_ge0 ?ler01 // oppr_ge0 ltW.
  by rewrite -ltr_pdivl_mulr.
have -> : p.[t] = p`_0 + t ^+ k * (c + t * s.[t]).
  rewrite {1}(poly_split k_gt0 low) {1}[pdrop k p]poly_shift coef_pdrop add0n.
  by rewrite !(hornerD, hornerM, hornerC, hornerXn, hornerX).
rewrite horner_coef0 -subr_lt0 addrC addKr pmulr_rlt0 ?exprn_gt0 //.
rewrite (le_lt_trans (_ : _ <= c + t * S)) //; last by rewrite -ltr_subr_addl sub0r.
rewrite ler_add2l; apply: ler_wpmul2l; first exact: ltW.
by apply: le_trans (ler_norm _) _; apply: horner_bound => //; apply: ltW.
Qed.

(* theta is a local minimum of L in the max-norm. *)
Definition local_min (n : nat) (L : 'rV[R]_n -> R) (theta : 'rV[R]_n) : Prop :=
  exists2 delta, 0 < delta &
    forall theta' : 'rV[R]_n,
      (forall i, `|theta' 0 i - theta 0 i| < delta) -> L theta <= L theta'.

(* The certificate rule: theta(t) = \row_i (curve i).[t] is a polynomial curve
   through theta = theta(0), and L(theta(t)) = lp(t) is the polynomial the
   checker expanded.  Then theta is not a local minimum. *)
Theorem curve_not_local_min (n : nat) (L : 'rV[R]_n -> R)
    (curve : 'I_n -> {poly R}) (lp : {poly R}) (k : nat) :
  (forall t, L (\row_i (curve i).[t]) = lp.[t]) ->
  (0 < k)%N -> lp`_k < 0 -> (forall i, (0 < i < k)%N -> lp`_i = 0) ->
  ~ local_min L (\row_i (curve i).[0]).
Proof.
move=> Lcurve k_gt0 ck_lt0 low [delta delta_gt0 Lmin].
have [eps eps_gt0 descent] := curve_descent k_gt0 ck_lt0 low.
set S := \sum_i coef_abs_sum (pdrop 1 (curve i)).
have S_ge0 : 0 <= S by rewrite sumr_ge0 // => i _; apply: coef_abs_sum_ge0.
have Si_le i : coef_abs_sum (pdrop 1 (curve i)) <= S.
  rewrite /S (bigD1 i) //= ler_addl sumr_ge0 // => j _; apply: coef_abs_sum_ge0.
(* t = min(eps/2, 1, delta/(S+1)) *)
set t := Num.min (eps / 2%:R) (Num.min 1 (delta / (S + 1))).
have S1_gt0 : 0 < S + 1 by exact: ltr_paddl S_ge0 ltr01.
have t_gt0 : 0 < t.
  by rewrite !lt_minr divr_gt0 ?ltr0n // ltr01 divr_gt0.
have t_lt_eps : t < eps.
  by rewrite /t lt_minl ltr_pdivr_mulr ?ltr0n // ltr_pmulr // ltr1n.
have t_le1 : t <= 1 by rewrite /t !le_minl lexx !orbT.
have t_le_d : t <= delta / (S + 1) by rewrite /t !le_minl lexx !orbT.
have descent_t : lp.[t] < lp.[0] by apply: descent; rewrite t_gt0 t_lt_eps.
suff close : forall i,
    `|(\row_i (curve i).[t]) 0 i - (\row_i (curve i).[0]) 0 i| < delta.
  by have := Lmin _ close; rewrite !Lcurve leNgt descent_t.
move=> i; rewrite !mxE.
apply: (le_lt_trans (curve_close _ (ltW t_gt0) t_le1)).
apply: (@le_lt_trans _ _ (t * S)); first by apply: ler_wpmul2l; [exact: ltW | exact: Si_le].
apply: (@lt_le_trans _ _ (t * (S + 1))); first by rewrite ltr_pmul2l // ltr_addl ltr01.
by rewrite -ler_pdivl_mulr.
Qed.

End Curve.
