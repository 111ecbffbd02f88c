(* LmoLDL: soundness of the definiteness certificates checked by lmo-check.

   Checker rule "H is positive semidefinite / definite": the certificate is a
   permutation P, a unit lower-triangular L and a diagonal D = diag(d) with
   d >= 0 (resp. d > 0); the checker verifies P^T H P = L D L^T exactly.
     - ldl_certificate_psd : then v^T H v >= 0 for every v
     - ldl_certificate_pd  : with d > 0, v^T H v > 0 for every v != 0
     - ldl_psd / ldl_pd    : the same for any invertible P (and, for psd,
                             any L at all)
   Checker rule "H has a negative eigenvalue": the certificate is a vector v
   with v^T H v < 0.
     - neg_qform_not_psd   : then H is not positive semidefinite.
   Definiteness is the quadratic-form notion (v^T H v over all vectors v of
   the ordered field); for a symmetric H it is equivalent to the sign of the
   eigenvalues (spectral theorem, not formalised here). *)

From mathcomp Require Import all_ssreflect fingroup perm all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section LDL.
Variable R : realFieldType.

(* v^T H v, read as a scalar. *)
Definition qform (n : nat) (H : 'M[R]_n) (v : 'cV[R]_n) : R := (v^T *m H *m v) 0 0.

Definition psd (n : nat) (H : 'M[R]_n) : Prop := forall v, 0 <= qform H v.
Definition pd (n : nat) (H : 'M[R]_n) : Prop := forall v, v != 0 -> 0 < qform H v.

(* The checker's double sum: v^T H v = sum_i sum_j v_i H_ij v_j. *)
Lemma qformE (n : nat) (H : 'M[R]_n) (v : 'cV[R]_n) :
  qform H v = \sum_i \sum_j v i 0 * H i j * v j 0.
Proof.
rewrite /qform [LHS]mxE [RHS]exchange_big /=; apply: eq_bigr => j _.
by rewrite mxE mulr_suml; apply: eq_bigr => i _; rewrite !mxE.
Qed.

Lemma qform_mul (n : nat) (H B : 'M[R]_n) (w : 'cV[R]_n) :
  qform (B^T *m H *m B) w = qform H (B *m w).
Proof. by rewrite /qform trmx_mul !mulmxA. Qed.

Lemma qform_diag (n : nat) (d : 'rV[R]_n) (u : 'cV[R]_n) :
  qform (diag_mx d) u = \sum_i d 0 i * u i 0 ^+ 2.
Proof.
rewrite qformE; apply: eq_bigr => i _; rewrite (bigD1 i) //= big1 => [|j ji].
  by rewrite addr0 !mxE eqxx mulr1n mulrC mulrA -expr2 mulrC.
by rewrite !mxE eq_sym (negbTE ji) mulr0n mulr0 mul0r.
Qed.

Lemma qform_diag_ge0 (n : nat) (d : 'rV[R]_n) (u : 'cV[R]_n) :
  (forall i, 0 <= d 0 i) -> 0 <= qform (diag_mx d) u.
Proof.
by move=> d_ge0; rewrite qform_diag sumr_ge0 // => i _; rewrite mulr_ge0 ?sqr_ge0.
Qed.

Lemma qform_diag_gt0 (n : nat) (d : 'rV[R]_n) (u : 'cV[R]_n) :
  (forall i, 0 < d 0 i) -> u != 0 -> 0 < qform (diag_mx d) u.
Proof.
move=> d_gt0 u_neq0; rewrite lt_def qform_diag_ge0 ?andbT; last first.
  by move=> i; rewrite ltW.
apply: contra u_neq0; rewrite qform_diag => /eqP /psumr_eq0P all0.
apply/eqP/matrixP => i j; rewrite ord1 mxE.
have /eqP := all0 (fun l _ => mulr_ge0 (ltW (d_gt0 l)) (sqr_ge0 _)) i isT.
by rewrite mulf_eq0 sqrf_eq0 gt_eqF //= => /eqP.
Qed.

Lemma unitmx_mul_neq0 (n : nat) (A : 'M[R]_n) (x : 'cV[R]_n) :
  A \in unitmx -> x != 0 -> A *m x != 0.
Proof. by move=> Au; apply: contra => /eqP Ax0; rewrite -(mulKmx Au x) Ax0 mulmx0. Qed.

(* P^T H P = L D L^T means v^T H v = u^T D u with u = L^T P^-1 v. *)
Lemma qform_ldl (n : nat) (H P L : 'M[R]_n) (d : 'rV[R]_n) (v : 'cV[R]_n) :
  P \in unitmx -> P^T *m H *m P = L *m diag_mx d *m L^T ->
  qform H v = qform (diag_mx d) (L^T *m (invmx P *m v)).
Proof.
move=> Pu ldl; rewrite -[in LHS](mulKVmx Pu v) -[LHS]qform_mul ldl.
by rewrite -[RHS]qform_mul trmxK.
Qed.

Theorem ldl_psd (n : nat) (H P L : 'M[R]_n) (d : 'rV[R]_n) :
  P \in unitmx -> P^T *m H *m P = L *m diag_mx d *m L^T ->
  (forall i, 0 <= d 0 i) -> psd H.
Proof. by move=> Pu ldl d_ge0 v; rewrite (qform_ldl _ Pu ldl) qform_diag_ge0. Qed.

Theorem ldl_pd (n : nat) (H P L : 'M[R]_n) (d : 'rV[R]_n) :
  P \in unitmx -> L \in unitmx -> P^T *m H *m P = L *m diag_mx d *m L^T ->
  (forall i, 0 < d 0 i) -> pd H.
Proof.
move=> Pu Lu ldl d_gt0 v v_neq0; rewrite (qform_ldl _ Pu ldl) qform_diag_gt0 //.
by rewrite !unitmx_mul_neq0 ?unitmx_tr ?unitmx_inv.
Qed.

(* Unit lower-triangular: zero above the diagonal, ones on it. *)
Definition unit_lower_triangular (n : nat) (L : 'M[R]_n) : bool :=
  is_trig_mx L && [forall i, L i i == 1].

Lemma unit_lower_triangular_unitmx (n : nat) (L : 'M[R]_n) :
  unit_lower_triangular L -> L \in unitmx.
Proof.
case/andP => Ltrig /forallP L1; rewrite unitmxE det_trig //.
by rewrite big1 ?unitr1 // => i _; apply/eqP.
Qed.

(* The checker rules as the checker applies them: P a permutation matrix. *)
Theorem ldl_certificate_psd (n : nat) (H L : 'M[R]_n) (s : 'S_n) (d : 'rV[R]_n) :
  unit_lower_triangular L -> (forall i, 0 <= d 0 i) ->
  (perm_mx s)^T *m H *m perm_mx s = L *m diag_mx d *m L^T ->
  psd H.
Proof. by move=> _ d_ge0 ldl; apply: (ldl_psd (unitmx_perm _ s) ldl d_ge0). Qed.

Theorem ldl_certificate_pd (n : nat) (H L : 'M[R]_n) (s : 'S_n) (d : 'rV[R]_n) :
  unit_lower_triangular L -> (forall i, 0 < d 0 i) ->
  (perm_mx s)^T *m H *m perm_mx s = L *m diag_mx d *m L^T ->
  pd H.
Proof.
move=> Lult d_gt0 ldl.
exact: (ldl_pd (unitmx_perm _ s) (unit_lower_triangular_unitmx Lult) ldl d_gt0).
Qed.

(* Checker rule "negative eigenvalue": a vector with v^T H v < 0. *)
Theorem neg_qform_not_psd (n : nat) (H : 'M[R]_n) (v : 'cV[R]_n) :
  qform H v < 0 -> ~ psd H.
Proof. by move=> neg Hpsd; have := Hpsd v; rewrite leNgt neg. Qed.

Corollary neg_qform_not_pd (n : nat) (H : 'M[R]_n) (v : 'cV[R]_n) :
  qform H v < 0 -> ~ pd H.
Proof.
move=> neg Hpd; have v_neq0 : v != 0.
  by apply: contraTneq neg => ->; rewrite /qform mulmx0 mxE ltxx.
by have := Hpd v v_neq0; rewrite ltNge ltW.
Qed.

(* Sanity: the two certificate kinds cannot both hold for the same H, so a
   checker accepting both for one matrix would reveal an unsound rule. *)
Corollary ldl_excludes_neg_qform (n : nat) (H P L : 'M[R]_n) (d : 'rV[R]_n)
    (v : 'cV[R]_n) :
  P \in unitmx -> P^T *m H *m P = L *m diag_mx d *m L^T ->
  (forall i, 0 <= d 0 i) -> ~ (qform H v < 0).
Proof. by move=> Pu ldl d_ge0 /neg_qform_not_psd; apply; apply: ldl_psd ldl d_ge0. Qed.

End LDL.
