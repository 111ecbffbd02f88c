(* LmoInertia: Sylvester's law of inertia, in the form lmo-check uses.

   Checker rule "inertia of the Hessian": the checker computes the symmetric
   rational Hessian H (n x n), finds by symmetric elimination an invertible S
   and a diagonal d with S^T H S = diag_mx d (checked exactly, S checked
   invertible), and reports
     (#{i | d_i > 0}, #{i | d_i < 0}, #{i | d_i = 0}) = (npos d, nneg d, nzero d).
   MathComp has no spectral theorem, so the inertia is stated variationally:
   npos d is the largest dimension of a subspace on which H is positive
   definite, nneg d the same for negative definite, and nzero d = dim ker H.
     - rank_diag_mx        : \rank (diag_mx d) = #{i | d_i != 0}   (any field)
     - qform_coord         : v^T H v = sum_i d_i w_i^2, w the coordinates of v
                             in the basis of the columns of S
     - inertia_pos_exists  : a subspace of dimension npos d where H is > 0
     - inertia_pos_max     : every subspace where H is > 0 has dim <= npos d
     - inertia_neg_exists / inertia_neg_max : the same for H < 0 and nneg d
     - inertia_rank        : \rank H = npos d + nneg d
     - inertia_zero        : nzero d = n - \rank H = \rank (kermx H)
     - congruence_inertia  : the five facts above together (the checker rule)
     - sylvester_inertia   : two accepted congruences of the same H give the
                             same counts, so the reported inertia does not
                             depend on the elimination the checker chose
   H need not be assumed symmetric: S^T H S = diag_mx d with S invertible
   already makes it symmetric. *)

From mathcomp Require Import all_ssreflect fingroup perm all_algebra.
From Lmo Require Import LmoRank LmoLDL.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(* ------------------------------------------------------------------------ *)
(* The rank of a diagonal matrix                                            *)
(* ------------------------------------------------------------------------ *)

Section DiagRank.
Variable F : fieldType.

(* At least #{i | d_i != 0}: the minor on those rows and columns is
   diagonal with non-zero entries (rank_ge_minor, LmoRank.v). *)
Lemma rank_diag_mx_ge (n : nat) (d : 'rV[F]_n) :
  leq #|[pred i | d 0 i != 0]| (\rank (diag_mx d)).
Proof.
pose ev := @enum_val _ [pred i : 'I_n | d 0 i != 0].
apply: (@rank_ge_minor _ _ _ _ _ ev ev).
have -> : mxsub ev ev (diag_mx d) = diag_mx (\row_i d 0 (ev i)).
  by apply/matrixP => i j; rewrite !mxE (inj_eq enum_val_inj).
rewrite det_diag; apply/prodf_neq0 => i _; rewrite mxE.
exact: (enum_valP i).
Qed.

(* Exactly #{i | d_i != 0}: diag_mx d kills the diagonal indicator z of the
   zero entries, whose rank is at least #{i | d_i = 0}. *)
Lemma rank_diag_mx (n : nat) (d : 'rV[F]_n) :
  \rank (diag_mx d) = #|[pred i | d 0 i != 0]|.
Proof.
apply/eqP; rewrite eqn_leq rank_diag_mx_ge andbT.
pose z : 'rV[F]_n := \row_i (d 0 i == 0)%:R.
have dz0 : diag_mx d *m diag_mx z = 0.
  apply/matrixP => i j; rewrite mul_diag_mx !mxE.
  by case: eqP => [->|_]; rewrite ?mul0r // mul0rn mulr0.
have zcard : #|[pred i | z 0 i != 0]| = #|[predC [pred i | d 0 i != 0]]|.
  by apply: eq_card => i; rewrite !inE mxE negbK; case: (d 0 i == 0); rewrite ?oner_eq0 ?eqxx.
(* rank (diag d) + #{d_i = 0} <= rank (diag d) + rank (diag z) <= n *)
rewrite -(leq_add2r #|[predC [pred i | d 0 i != 0]]|) cardC card_ord.
apply: leq_trans (mulmx0_rank_max dz0); rewrite leq_add2l -zcard.
exact: rank_diag_mx_ge.
Qed.

End DiagRank.

(* ------------------------------------------------------------------------ *)
(* Definiteness on a subspace, and the three counts                        *)
(* ------------------------------------------------------------------------ *)

Section Inertia.
Variable R : realFieldType.

(* Subspaces are row spaces, as in MathComp's mxalgebra: U : 'M_(k, n)
   spans the row vectors v with (v <= U)%MS, and its dimension is \rank U.
   The quadratic form is qform of LmoLDL.v, applied to the column v^T. *)
Definition posdef_on (n k : nat) (H : 'M[R]_n) (U : 'M[R]_(k, n)) : Prop :=
  forall v : 'rV[R]_n, (v <= U)%MS -> v != 0 -> 0 < qform H v^T.

Definition negdef_on (n k : nat) (H : 'M[R]_n) (U : 'M[R]_(k, n)) : Prop :=
  forall v : 'rV[R]_n, (v <= U)%MS -> v != 0 -> qform H v^T < 0.

(* The inertia the checker reports from the diagonal d. *)
Definition npos (n : nat) (d : 'rV[R]_n) : nat := #|[pred i | 0 < d 0 i]|.
Definition nneg (n : nat) (d : 'rV[R]_n) : nat := #|[pred i | d 0 i < 0]|.
Definition nzero (n : nat) (d : 'rV[R]_n) : nat := #|[pred i | d 0 i == 0]|.

(* A non-zero entry is either positive or negative, not both. *)
Lemma card_nonzero (n : nat) (d : 'rV[R]_n) :
  #|[pred i | d 0 i != 0]| = (npos d + nneg d)%N.
Proof.
rewrite /npos /nneg -cardUI (@eq_card0 _ [predI _ & _]) ?addn0; last first.
  move=> i; rewrite !inE; apply/negbTE/negP => /andP [gt0 lt0].
  by have := lt_trans gt0 lt0; rewrite ltxx.
by apply: eq_card => i; rewrite !inE neq_lt orbC.
Qed.

Section Congruence.
Variables (n : nat) (H S : 'M[R]_n) (d : 'rV[R]_n).
Variable S_unit : S \in unitmx.
Variable S_diag : S^T *m H *m S = diag_mx d.

Let St_unit : S^T \in unitmx. Proof. by rewrite unitmx_tr. Qed.

(* The coordinates of a row vector v in the basis of the rows of S^T (the
   columns of S): v = coord v *m S^T. *)
Let coord (v : 'rV[R]_n) : 'rV[R]_n := v *m invmx S^T.

Let coordK (v : 'rV[R]_n) : coord v *m S^T = v.
Proof. exact: mulmxKV. Qed.

Let coord_eq0 (v : 'rV[R]_n) : v != 0 -> coord v != 0.
Proof. by apply: contra => /eqP c0; rewrite -(coordK v) c0 mul0mx. Qed.

(* In these coordinates the quadratic form is diagonal. *)
Lemma qform_coord (v : 'rV[R]_n) :
  qform H v^T = \sum_i d 0 i * coord v 0 i ^+ 2.
Proof.
rewrite -{1}(coordK v) trmx_mul trmxK -qform_mul S_diag qform_diag.
by apply: eq_bigr => i _; rewrite mxE.
Qed.

(* The subspace spanned by the columns S_i with P i: the rows of S^T picked
   out by the 0/1 diagonal of P. *)
Let span (P : pred 'I_n) : 'M[R]_n := diag_mx (\row_i (P i)%:R) *m S^T.

Let span_rank (P : pred 'I_n) : \rank (span P) = #|P|.
Proof.
rewrite mxrankMfree ?row_free_unit // rank_diag_mx.
by apply: eq_card => i; rewrite !inE mxE pnatr_eq0 eqb0 negbK.
Qed.

(* A vector of span P has zero coordinates outside P. *)
Let span_coord (P : pred 'I_n) (v : 'rV[R]_n) :
  (v <= span P)%MS -> forall i, ~~ P i -> coord v 0 i = 0.
Proof.
case/submxP => x -> i Pi; rewrite /coord mulmxA mulmxK // mul_mx_diag !mxE.
by rewrite (negbTE Pi) mulr0.
Qed.

(* Sign of the form from the signs of d on the support of the coordinates. *)
Let sum_gt0 (P : pred 'I_n) (w : 'rV[R]_n) :
  (forall i, P i -> 0 < d 0 i) -> (forall i, ~~ P i -> w 0 i = 0) -> w != 0 ->
  0 < \sum_i d 0 i * w 0 i ^+ 2.
Proof.
move=> dP w0 w_neq0.
have ge0 i : 0 <= d 0 i * w 0 i ^+ 2.
  by case Pi : (P i); [rewrite mulr_ge0 ?sqr_ge0 ?ltW ?dP | rewrite w0 ?Pi // expr2 !mulr0].
rewrite lt_def sumr_ge0 ?andbT; last by move=> i _; apply: ge0.
(* the sum is 0 only if every term is 0, i.e. w = 0 *)
apply: contra w_neq0 => /eqP /psumr_eq0P all0; apply/eqP/rowP => i; rewrite mxE.
have /eqP := all0 (fun l _ => ge0 l) i isT; rewrite mulf_eq0 sqrf_eq0.
by case Pi : (P i); [rewrite gt_eqF ?dP | rewrite w0 ?Pi] => //= /eqP.
Qed.

Let sum_le0 (P : pred 'I_n) (w : 'rV[R]_n) :
  (forall i, P i -> d 0 i <= 0) -> (forall i, ~~ P i -> w 0 i = 0) ->
  \sum_i d 0 i * w 0 i ^+ 2 <= 0.
Proof.
move=> dP w0; rewrite -oppr_ge0 -sumrN; apply: sumr_ge0 => i _; rewrite -mulNr.
by case Pi : (P i); [rewrite mulr_ge0 ?sqr_ge0 ?oppr_ge0 ?dP | rewrite w0 ?Pi // expr2 !mulr0].
Qed.

(* (1a) The columns S_i with d_i > 0 span a subspace of dimension npos d on
   which H is positive definite. *)
Lemma inertia_pos_exists :
  exists U : 'M[R]_n, \rank U = npos d /\ posdef_on H U.
Proof.
pose P := [pred i | 0 < d 0 i]; exists (span P); split; first exact: span_rank.
move=> v vU v_neq0; rewrite qform_coord.
apply: (sum_gt0 (P := P)); [by move=> i | exact: span_coord vU | exact: coord_eq0].
Qed.

(* (1b) The columns S_i with d_i <= 0 span a subspace N of dimension
   n - npos d on which H is <= 0 (the cross terms vanish because S^T H S is
   diagonal).  A subspace U on which H is positive definite meets N only in
   0, so \rank U + (n - npos d) <= n. *)
Lemma inertia_pos_max (k : nat) (U : 'M[R]_(k, n)) :
  posdef_on H U -> (\rank U <= npos d)%N.
Proof.
move=> Upos; pose P := [pred i | 0 < d 0 i]; pose N := span [predC P].
(* H is <= 0 on N *)
have Nle0 v : (v <= N)%MS -> qform H v^T <= 0.
  move=> vN; rewrite qform_coord; apply: (sum_le0 (P := [predC P])).
    by move=> i; rewrite !inE -leNgt.
  exact: span_coord vN.
(* so U :&: N = 0: each of its rows is in U and in N *)
have cap0 : (U :&: N)%MS = 0.
  apply/row_matrixP => i; rewrite row0; apply/eqP; apply/negPn/negP => ri_neq0.
  have riU := submx_trans (row_sub i _) (capmxSl U N).
  have riN := submx_trans (row_sub i _) (capmxSr U N).
  by have := Upos _ riU ri_neq0; rewrite ltNge Nle0.
(* dimension count *)
have := mxrank_sum_cap U N; rewrite cap0 mxrank0 addn0 span_rank => e.
have := rank_leq_col (U + N)%MS; rewrite e => le_n.
have -> : npos d = #|P| by [].
by rewrite -(leq_add2r #|[predC P]|) cardC card_ord.
Qed.

(* (3) \rank H = npos d + nneg d: congruence keeps the rank, and a non-zero
   d_i is either positive or negative. *)
Lemma inertia_rank : \rank H = (npos d + nneg d)%N.
Proof.
have -> : \rank H = \rank (S^T *m H *m S).
  rewrite mxrankMfree ?row_free_unit // -[RHS]mxrank_tr trmx_mul trmxK.
  by rewrite mxrankMfree ?row_free_unit // mxrank_tr.
by rewrite S_diag rank_diag_mx card_nonzero.
Qed.

(* The zero count is the dimension of the kernel. *)
Lemma inertia_zero : nzero d = (n - \rank H)%N /\ nzero d = \rank (kermx H).
Proof.
rewrite mxrank_ker; suff z : nzero d = (n - \rank H)%N by [].
(* n = #{d_i = 0} + #{d_i != 0} and #{d_i != 0} = \rank H *)
have -> : \rank H = #|[predC [pred i | d 0 i == 0]]|.
  by rewrite inertia_rank -card_nonzero; apply: eq_card => i; rewrite !inE.
by rewrite -[X in (X - _)%N](card_ord n) -(cardC [pred i | d 0 i == 0]) addnK.
Qed.

End Congruence.

(* Negative definiteness is positive definiteness of -H, and S^T (-H) S is
   the diagonal of -d, whose positive entries are the negative ones of d. *)
Lemma qformN (n : nat) (H : 'M[R]_n) (v : 'cV[R]_n) : qform (- H) v = - qform H v.
Proof. by rewrite /qform mulmxN mulNmx mxE. Qed.

Lemma negdef_posdefN (n k : nat) (H : 'M[R]_n) (U : 'M[R]_(k, n)) :
  negdef_on H U <-> posdef_on (- H) U.
Proof.
by split=> def v vU v_neq0; have := def v vU v_neq0; rewrite qformN oppr_gt0.
Qed.

Lemma congruenceN (n : nat) (H S : 'M[R]_n) (d : 'rV[R]_n) :
  S^T *m H *m S = diag_mx d -> S^T *m (- H) *m S = diag_mx (- d).
Proof.
move=> e; rewrite mulmxN mulNmx e.
by apply/matrixP => i j; rewrite !mxE mulNrn.
Qed.

Lemma npos_opp (n : nat) (d : 'rV[R]_n) : npos (- d) = nneg d.
Proof. by apply: eq_card => i; rewrite !inE mxE oppr_gt0. Qed.

(* (2a) and (2b): the same for negative definiteness and nneg d. *)
Lemma inertia_neg_exists (n : nat) (H S : 'M[R]_n) (d : 'rV[R]_n) :
  S \in unitmx -> S^T *m H *m S = diag_mx d ->
  exists U : 'M[R]_n, \rank U = nneg d /\ negdef_on H U.
Proof.
move=> Su /congruenceN e; have [U [rU pU]] := inertia_pos_exists Su e.
by exists U; split; [rewrite rU npos_opp | apply/negdef_posdefN].
Qed.

Lemma inertia_neg_max (n : nat) (H S : 'M[R]_n) (d : 'rV[R]_n) (k : nat)
    (U : 'M[R]_(k, n)) :
  S \in unitmx -> S^T *m H *m S = diag_mx d ->
  negdef_on H U -> (\rank U <= nneg d)%N.
Proof.
move=> Su /congruenceN e /negdef_posdefN nU.
by rewrite -npos_opp (inertia_pos_max Su e nU).
Qed.

(* ------------------------------------------------------------------------ *)
(* The checker rule                                                         *)
(* ------------------------------------------------------------------------ *)

(* Checker rule "inertia": S invertible and S^T H S = diag_mx d (both
   checked exactly) => the reported counts (npos d, nneg d, nzero d) are the
   inertia of H: npos d is the largest dimension of a subspace on which H is
   positive definite, nneg d the same for negative definite, and
   \rank H = npos d + nneg d, so nzero d = n - \rank H = dim ker H
   (inertia_zero). *)
Theorem congruence_inertia (n : nat) (H S : 'M[R]_n) (d : 'rV[R]_n) :
  S \in unitmx -> S^T *m H *m S = diag_mx d ->
  [/\ (exists U : 'M[R]_n, \rank U = npos d /\ posdef_on H U),
      (forall k (U : 'M[R]_(k, n)), posdef_on H U -> (\rank U <= npos d)%N),
      (exists U : 'M[R]_n, \rank U = nneg d /\ negdef_on H U),
      (forall k (U : 'M[R]_(k, n)), negdef_on H U -> (\rank U <= nneg d)%N)
    & \rank H = (npos d + nneg d)%N].
Proof.
move=> Su e; split.
- exact: inertia_pos_exists Su e.
- by move=> k U; exact: (inertia_pos_max Su e).
- exact: inertia_neg_exists Su e.
- by move=> k U; exact: (inertia_neg_max Su e).
exact: inertia_rank Su e.
Qed.

(* Sylvester's law of inertia: two congruences of the same H to diagonal
   form have the same numbers of positive, negative and zero entries, so the
   inertia the checker reports does not depend on its choice of S. *)
Theorem sylvester_inertia (n : nat) (H S1 S2 : 'M[R]_n) (d1 d2 : 'rV[R]_n) :
  S1 \in unitmx -> S1^T *m H *m S1 = diag_mx d1 ->
  S2 \in unitmx -> S2^T *m H *m S2 = diag_mx d2 ->
  [/\ npos d1 = npos d2, nneg d1 = nneg d2 & nzero d1 = nzero d2].
Proof.
move=> S1u e1 S2u e2.
have [[U1 [r1 p1]] [U2 [r2 p2]]] := (inertia_pos_exists S1u e1, inertia_pos_exists S2u e2).
have [[V1 [s1 n1]] [V2 [s2 n2]]] := (inertia_neg_exists S1u e1, inertia_neg_exists S2u e2).
(* each positive subspace is at most as large as the other count *)
have pos : npos d1 = npos d2.
  apply/eqP; rewrite eqn_leq -{1}r1 (inertia_pos_max S2u e2 p1) /= -r2.
  exact: (inertia_pos_max S1u e1 p2).
have neg : nneg d1 = nneg d2.
  apply/eqP; rewrite eqn_leq -{1}s1 (inertia_neg_max S2u e2 n1) /= -s2.
  exact: (inertia_neg_max S1u e1 n2).
(* the zero counts are both n - \rank H *)
split=> //; have [z1 _] := inertia_zero S1u e1; have [z2 _] := inertia_zero S2u e2.
by rewrite z1 z2.
Qed.

End Inertia.
