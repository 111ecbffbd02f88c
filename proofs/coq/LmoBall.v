(* LmoBall: soundness of the interval ("ball") rank certificate of lmo-check.

   Checker rule "rank_Fk1 >= r" of the nguyen_hein claim: the entries of the
   real feature matrix M of rank_Fk1 are known only as MPFR intervals.  The certificate
   names an r x r minor S = mxsub rs cs M and an exact rational matrix R (an
   approximate inverse of the minor's midpoint).  The checker encloses
   E = I - R S entrywise with outward rounding, which gives for every (i, j) an
   upper bound B i j of |E i j| that holds for every real S inside the
   intervals, and accepts when every row sum of B is < 1.
     - row_sum_bound_mono       : |E i j| <= B i j and sum_j B i j < 1 for all i
                                  ==> sum_j |E i j| < 1 for all i (the interval
                                  step: upper bounds suffice)
     - det_ne0_of_near_inverse  : sum_j |(1 - R S) i j| < 1 for every row i
                                  ==> \det S != 0 (a strictly diagonally
                                  dominant residual: no norm of R or S and no
                                  bound on the inverse is needed)
     - rank_ge_near_inverse     : the checker rule: bounds B as above on the
                                  minor ==> r <= \rank M (with LmoRank)
   Everything holds over any numFieldType (an ordered field such as Q or R):
   MPFR is only a way to compute the bounds B, which the proofs take as given. *)

From mathcomp Require Import all_ssreflect all_algebra.
From Lmo Require Import LmoRank.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Ball.
Variable F : numFieldType.

(* Upper bounds on |E i j| with row sums < 1 bound the row sums of |E|. *)
Theorem row_sum_bound_mono (n m : nat) (E B : 'M[F]_(n, m)) :
  (forall i j, `|E i j| <= B i j) ->
  (forall i, \sum_j B i j < 1) ->
  forall i, \sum_j `|E i j| < 1.
Proof.
move=> EB Bsum i; apply: le_lt_trans (Bsum i).
by apply: ler_sum => j _; exact: EB.
Qed.

(* The kernel of M is trivial: a non-zero x with M x = 0 satisfies
   x = (1 - R M) x, and at an index i where |x i| is largest,
   |x i| <= sum_j |E i j| |x j| <= (sum_j |E i j|) |x i| < |x i|. *)
Lemma ker_trivial_of_near_inverse (n : nat) (R M : 'M[F]_n) (x : 'cV[F]_n) :
  (forall i, \sum_j `|(1%:M - R *m M) i j| < 1) ->
  M *m x = 0 -> x = 0.
Proof.
set E := 1%:M - R *m M => Esum Mx0.
have xE : E *m x = x by rewrite /E mulmxBl mul1mx -mulmxA Mx0 mulmx0 subr0.
have [//|x_neq0] := eqVneq x 0; exfalso.
case: (pickP (fun k => x k 0 != 0)) => [k xk | x0]; last first.
  case/eqP: x_neq0; apply/matrixP => i j.
  by rewrite ord1 mxE; move: (x0 i) => /negbFE/eqP.
have [i _ imax] := @real_arg_maxP F _ k xpredT (fun j => `|x j 0|) isT
  (fun j _ => normr_real (x j 0)).
have xi_gt0 : 0 < `|x i 0| by apply: lt_le_trans (imax k isT); rewrite normr_gt0.
have : `|x i 0| <= (\sum_j `|E i j|) * `|x i 0|.
  rewrite -{1}xE mxE mulr_suml; apply: le_trans (ler_norm_sum _ _ _) _.
  by apply: ler_sum => j _; rewrite normrM ler_wpmul2l ?normr_ge0 //; apply: imax.
by rewrite ler_pmull // => /(lt_le_trans (Esum i)); rewrite ltxx.
Qed.

(* det0P gives a row vector v != 0 with v M^T = 0, i.e. M v^T = 0. *)
Theorem det_ne0_of_near_inverse (n : nat) (R M : 'M[F]_n) :
  (forall i, \sum_j `|(1%:M - R *m M) i j| < 1) -> \det M != 0.
Proof.
move=> Esum; rewrite -det_tr; apply/negP => /det0P [v v_neq0 vM0].
suff /eqP : v^T = 0 by rewrite trmx_eq0 (negbTE v_neq0).
by apply: (ker_trivial_of_near_inverse Esum); rewrite -[M]trmxK -trmx_mul vM0 trmx0.
Qed.

(* The checker rule: interval upper bounds on the residual of a minor. *)
Corollary det_ne0_of_residual_bound (n : nat) (R S B : 'M[F]_n) :
  (forall i j, `|(1%:M - R *m S) i j| <= B i j) ->
  (forall i, \sum_j B i j < 1) -> \det S != 0.
Proof.
by move=> EB Bsum; apply: (@det_ne0_of_near_inverse _ R); apply: row_sum_bound_mono.
Qed.

Theorem rank_ge_near_inverse (m n r : nat) (M : 'M[F]_(m, n))
    (rs : 'I_r -> 'I_m) (cs : 'I_r -> 'I_n) (R B : 'M[F]_r) :
  (forall i j, `|(1%:M - R *m mxsub rs cs M) i j| <= B i j) ->
  (forall i, \sum_j B i j < 1) -> (r <= \rank M)%N.
Proof.
by move=> EB Bsum; apply: rank_ge_minor (det_ne0_of_residual_bound EB Bsum).
Qed.

End Ball.
