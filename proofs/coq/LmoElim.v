(* LmoElim: soundness of the checker's modular elimination (proofs/rank.c,
   function lmoc_elim_mod, formerly the static elim), used by the rule
   "rank >= r" (and on the minor re-checked in proofs/patterns.c).

   Checker rule "rank >= r", elimination step: the checker reduces the r x r
   minor entrywise modulo m (m >= 2, NOT necessarily prime) and runs Gaussian
   elimination on the residues:
     for k = 0 .. r-1:
       piv := the first row >= k with a[piv][k] != 0;  none: "singular";
       swap rows k and piv;
       a[k][k] not a unit mod m: "non-unit pivot" (failure);
       for every row i > k: g := a[i][k] * a[k][k]^-1; row_i -= g * row_k.
   It accepts only when every pivot was a unit.
     - elim                : that procedure, over any commutative ring with
                             units (Z/mZ = 'Z_m for m > 1 is one)
     - pivot_rowP          : the pivot is the first row with a non-zero entry
     - det_elim_step       : one step: \det A = pivot * \det (remaining block)
     - elim_det_unit       : accepted => \det A is a unit
                             (\det A = +- the product of the pivots)
     - elim_det_singular   : answer "singular" => \det A = 0 (the rejection
                             message is correct; not needed for soundness)
     - elim_field          : over a field (prime modulus) a pivot is never a
                             non-unit and elim accepts iff \det A != 0
     - rank_ge_minor_elim  : the checker rule: accepted on the reduction of
                             the minor mod m (denominators coprime to m) =>
                             r <= \rank M (via rank_ge_minor_mod, LmoRank.v)
   A composite m can only make the elimination fail (non-unit pivot), never
   accept a singular minor: acceptance proves \det is a unit, hence non-zero. *)

From mathcomp Require Import all_ssreflect fingroup perm all_algebra.
From Lmo Require Import LmoRank.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(* The three return codes of lmoc_elim_mod: 0, 1 and 2. *)
Inductive elim_result := Elim_unit | Elim_singular | Elim_nonunit.

Section Elim.
Variable R : comUnitRingType.

(* ------------------------------------------------------------------------ *)
(* The procedure                                                            *)
(* ------------------------------------------------------------------------ *)

(* The pivot search of step k, on the trailing block whose row/column 0 is
   the checker's row/column k: the first row whose entry in column 0 is
   non-zero (the C loop `while (piv < r && !a[piv][k]) piv++`). *)
Definition pivot_row (n : nat) (A : 'M[R]_n.+1) : option 'I_n.+1 :=
  insub (find (fun i : 'I_n.+1 => A i 0 != 0) (enum 'I_n.+1)).

(* One elimination step on A, whose pivot A 0 0 is a unit: row i+1 minus
   g * row 0 with g = A (i+1) 0 * (A 0 0)^-1, restricted to the columns the
   later steps read (columns 1..n; column 0 of those rows is now 0 and is
   never read again, as in the C code, which also updates only the columns
   j >= k and skips the rows with g = 0, where the update subtracts 0). *)
Definition elim_step (n : nat) (A : 'M[R]_n.+1) : 'M[R]_n :=
  \matrix_(i, j) (A (lift 0 i) (lift 0 j)
                  - (A (lift 0 i) 0 * (A 0 0)^-1) * A 0 (lift 0 j)).

(* The whole elimination; the recursion on the trailing block is the loop
   on k.  xrow 0 piv swaps rows 0 and piv (the identity when piv = 0). *)
Fixpoint elim (n : nat) : 'M[R]_n -> elim_result :=
  match n return 'M[R]_n -> elim_result with
  | 0 => fun _ => Elim_unit
  | n'.+1 => fun A =>
      if pivot_row A is Some piv then
        let A1 := xrow 0 piv A in
        if A1 0 0 \is a GRing.unit then elim (elim_step A1) else Elim_nonunit
      else Elim_singular
  end.

(* ------------------------------------------------------------------------ *)
(* The pivot search finds the first non-zero entry                         *)
(* ------------------------------------------------------------------------ *)

Lemma pivot_rowP (n : nat) (A : 'M[R]_n.+1) :
  if pivot_row A is Some p
  then A p 0 != 0 /\ (forall i : 'I_n.+1, (i < p)%N -> A i 0 = 0)
  else forall i, A i 0 = 0.
Proof.
rewrite /pivot_row; set a := fun i : 'I_n.+1 => A i 0 != 0.
case: insubP => [p lt_find val_p | ge_find].
  (* found: p is the index returned by find *)
  have has_a : has a (enum 'I_n.+1) by rewrite has_find size_enum_ord.
  split; first by have := nth_find p has_a; rewrite -val_p nth_ord_enum.
  move=> i lt_ip; apply/eqP; apply: negbFE.
  have lt_if : (i < find a (enum 'I_n.+1))%N by rewrite -val_p.
  by have := before_find p lt_if; rewrite nth_ord_enum.
(* not found: no row has a non-zero entry in column 0 *)
have /hasPn none : ~~ has a (enum 'I_n.+1) by rewrite has_find size_enum_ord.
by move=> i; apply/eqP/negbNE/none; rewrite mem_enum.
Qed.

(* ------------------------------------------------------------------------ *)
(* Determinant of one step                                                  *)
(* ------------------------------------------------------------------------ *)

(* With A = [p u; v D] (p = A 0 0 a unit), subtracting (v p^-1) times the
   first row from the others leaves [p u; 0 D - v p^-1 u], and the second
   block is elim_step A.  The row operation is the block lower unitriangular
   matrix L = [1 0; -p^-1 v 1] of determinant 1. *)
Lemma det_elim_step (n : nat) (A : 'M[R]_n.+1) :
  A 0 0 \is a GRing.unit -> \det A = A 0 0 * \det (elim_step A).
Proof.
move=> pu; pose B : 'M[R]_(1 + n) := A; change (\det B = A 0 0 * \det (elim_step A)).
have l0 : lshift n (0 : 'I_1) = 0 by apply: val_inj.
have r1 (i : 'I_n) : rshift 1 i = lift 0 i by apply: val_inj.
(* the row operation L, determinant 1 *)
pose L : 'M[R]_(1 + n) := block_mx 1%:M 0 (- (A 0 0)^-1 *: dlsubmx B) 1%:M.
have detL : \det L = 1 by rewrite det_lblock !det1 mulr1.
(* L B is block upper triangular *)
have LB : L *m B = block_mx (ulsubmx B) (ursubmx B) 0 (elim_step A).
  rewrite -[B in L *m B]submxK mulmx_block !mul1mx !mul0mx !addr0.
  congr block_mx.
    (* first column below the pivot: -p^-1 v p + v = 0 *)
    rewrite [ulsubmx B]mx11_scalar mul_mx_scalar scalerA !mxE l0.
    by rewrite mulrN mulrV // scaleN1r addNr.
  (* the remaining block, entrywise, is the C update *)
  apply/matrixP => i j; rewrite !mxE big_ord1 !mxE !r1 l0.
  by rewrite addrC !mulNr [_^-1 * _]mulrC.
rewrite -[\det B]mul1r -detL -det_mulmx LB det_ublock det_mx11.
by rewrite !mxE l0.
Qed.

(* Swapping two rows multiplies the determinant by a sign, a unit. *)
Lemma det_xrow (n : nat) (i1 i2 : 'I_n) (A : 'M[R]_n) :
  \det (xrow i1 i2 A) = (-1) ^+ tperm i1 i2 * \det A.
Proof. by rewrite xrowE det_mulmx /tperm_mx det_perm. Qed.

Lemma sign_unit (b : bool) : (-1) ^+ b \is a @GRing.unit R.
Proof. by rewrite unitrX // unitrN1. Qed.

(* ------------------------------------------------------------------------ *)
(* Soundness: acceptance proves a unit determinant                         *)
(* ------------------------------------------------------------------------ *)

(* Checker rule "rank >= r", elimination mod m: if elim accepts A, then
   \det A is a unit (by induction: \det A = +-pivot * \det (elim_step A1)).
   For r = 0 the minor is empty and \det A = 1. *)
Theorem elim_det_unit (r : nat) (A : 'M[R]_r) :
  elim A = Elim_unit -> \det A \is a GRing.unit.
Proof.
elim: r A => [|r IHr] A /=; first by rewrite det_mx00 unitr1.
case: (pivot_row A) => [piv|//]; set A1 := xrow 0 piv A.
case: ifP => [pu /IHr step_u|//].
(* \det A1 = pivot * \det (elim_step A1): a product of units *)
have : \det A1 \is a GRing.unit by rewrite det_elim_step // unitrM pu step_u.
(* \det A1 = sign * \det A *)
by rewrite det_xrow unitrMr ?sign_unit.
Qed.

(* The answer "singular" is correct too: no row from k on has a non-zero
   entry in column k, so the trailing block has a zero column and the
   determinant is 0. *)
Theorem elim_det_singular (r : nat) (A : 'M[R]_r) :
  elim A = Elim_singular -> \det A = 0.
Proof.
elim: r A => [|r IHr] A //=; have := pivot_rowP A.
case: (pivot_row A) => [piv _|col0 _]; last first.
  (* no pivot: expand along the zero column 0 *)
  by rewrite (expand_det_col A 0) big1 // => i _; rewrite col0 mul0r.
set A1 := xrow 0 piv A; case: ifP => [pu /IHr step0|//].
apply: (@mulrI _ ((-1) ^+ tperm (0 : 'I_r.+1) piv)); first exact: sign_unit.
by rewrite -det_xrow det_elim_step // step0 !mulr0.
Qed.

End Elim.

(* ------------------------------------------------------------------------ *)
(* Over a field (a prime modulus) the elimination is complete              *)
(* ------------------------------------------------------------------------ *)

(* Not needed for soundness: with a prime modulus every non-zero pivot is a
   unit, so elim never reports a non-unit pivot and it accepts exactly the
   non-singular matrices. *)
Theorem elim_field (F : fieldType) (r : nat) (A : 'M[F]_r) :
  elim A <> Elim_nonunit /\ (elim A = Elim_unit <-> \det A != 0).
Proof.
have not_nonunit : forall r (A : 'M[F]_r), elim A <> Elim_nonunit.
  elim=> [|r' IHr] A' //=; have := pivot_rowP A'.
  case: (pivot_row A') => [piv [nz _]|//].
  (* after the swap the pivot is A' piv 0, non-zero, hence a unit *)
  by rewrite unitfE !mxE tpermL nz; apply: IHr.
split=> //; split=> [/elim_det_unit|det_neq0]; first by rewrite unitfE.
case e : (elim A) => //; last by have := not_nonunit _ A; rewrite e.
by move: det_neq0; rewrite (elim_det_singular e) eqxx.
Qed.

(* ------------------------------------------------------------------------ *)
(* The checker rule                                                         *)
(* ------------------------------------------------------------------------ *)

(* Checker rule "rank >= r" as rank.c applies it: modulus m > 1 (prime or
   not), every denominator of the minor coprime to m (mpz_invert of the
   denominator succeeds), residues a * b^-1 mod m (ratred), and elim accepts.
   Then the rational matrix M has rank at least r. *)
Theorem rank_ge_minor_elim (m rows cols r : nat) (M : 'M[rat]_(rows, cols))
    (rs : 'I_r -> 'I_rows) (cs : 'I_r -> 'I_cols) :
  (1 < m)%N ->
  (forall i j, coprime m `|denq (M (rs i) (cs j))|) ->
  elim (map_mx (@ratred [comUnitRingType of 'Z_m]) (mxsub rs cs M)) = Elim_unit ->
  (r <= \rank M)%N.
Proof.
move=> m_gt1 cop /elim_det_unit det_u; apply: (rank_ge_minor_mod m_gt1 cop).
(* a unit of 'Z_m is non-zero ('Z_m is a non-trivial ring) *)
by apply: contraTneq det_u => ->; rewrite unitr0.
Qed.
