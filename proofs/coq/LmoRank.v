(* LmoRank: soundness of the two rank certificates checked by lmo-check.

   Checker rule "rank >= r": the certificate names an r x r submatrix
   (row map rs, column map cs) and a modulus m (a prime p in practice); the
   checker reduces every entry a/b of the submatrix to a * b^-1 mod m and
   checks that the determinant mod m is non-zero.
     - rank_ge_minor          : \det (mxsub rs cs M) != 0 -> r <= \rank M
     - det_map_rmorphism      : f (\det A) = \det (map_mx f A) for a ring morphism f
     - det_ne0_of_map_ne0     : \det (map_mx f A) != 0 -> \det A != 0
     - det_ne0_of_ratred      : the same for the entrywise reduction Q -> Z/mZ,
                                which is not a ring morphism on all of Q
     - rank_ge_minor_mod      : the checker rule, for any modulus m > 1 with
                                every denominator of the minor coprime to m
     - rank_ge_minor_modp     : the same for a prime p not dividing them

   Checker rule "rank <= r": the certificate gives n - r kernel vectors k_j
   (M *m k_j = 0) in echelon form on n - r free columns f_j
   (k_j (f_j') = 1 if j = j', 0 otherwise).
     - rank_le_echelon_kernel : then \rank M <= r *)

From mathcomp Require Import all_ssreflect fingroup perm all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(* ------------------------------------------------------------------------ *)
(* rank >= r via a non-singular minor                                      *)
(* ------------------------------------------------------------------------ *)

Section MinorRank.
Variable F : fieldType.

(* A submatrix has at most the rank of the matrix it is taken from. *)
Lemma mxrank_mxsub (m n r s : nat) (rs : 'I_r -> 'I_m) (cs : 'I_s -> 'I_n)
    (M : 'M[F]_(m, n)) :
  (\rank (mxsub rs cs M) <= \rank M)%N.
Proof.
have -> : mxsub rs cs M = rowsub rs 1%:M *m M *m colsub cs 1%:M.
  by rewrite mul_rowsub_mx mul1mx -mxsub_mul mulmx1.
by rewrite (leq_trans (mxrankM_maxl _ _)) // mxrankM_maxr.
Qed.

(* Checker rule "rank >= r" over the field itself.  The index maps need not
   be injective: if two selected rows (or columns) coincide the minor has two
   equal rows and its determinant is 0, so the hypothesis already excludes it. *)
Theorem rank_ge_minor (m n r : nat) (M : 'M[F]_(m, n))
    (rs : 'I_r -> 'I_m) (cs : 'I_r -> 'I_n) :
  \det (mxsub rs cs M) != 0 -> (r <= \rank M)%N.
Proof.
move=> det_neq0; rewrite -[X in (X <= _)%N](@mxrank_unit _ _ (mxsub rs cs M)).
  exact: mxrank_mxsub.
by rewrite unitmxE unitfE.
Qed.

End MinorRank.

(* ------------------------------------------------------------------------ *)
(* The determinant commutes with ring morphisms (reduction mod p)          *)
(* ------------------------------------------------------------------------ *)

Section DetMorphism.
Variables (R S : comRingType) (f : {rmorphism R -> S}).

Theorem det_map_rmorphism (n : nat) (A : 'M[R]_n) :
  f (\det A) = \det (map_mx f A).
Proof. by rewrite det_map_mx. Qed.

Corollary det_ne0_of_map_ne0 (n : nat) (A : 'M[R]_n) :
  \det (map_mx f A) != 0 -> \det A != 0.
Proof. by rewrite -det_map_rmorphism; apply: contra => /eqP->; rewrite rmorph0. Qed.

End DetMorphism.

(* ------------------------------------------------------------------------ *)
(* Reduction of rationals modulo m, as the checker computes it             *)
(* ------------------------------------------------------------------------ *)

Section RatReduction.
(* Z stands for Z/mZ; any commutative ring with inverses of its units works. *)
Variable Z : comUnitRingType.

(* x = numq x / denq x in lowest terms, denq x > 0; the checker's a * b^-1.
   Only meaningful when denq x is a unit of Z. *)
Definition ratred (x : rat) : Z := (numq x)%:~R / (denq x)%:~R.

(* "y is the image of x": x * b = a for integers a, b with b invertible in Z,
   and y = a / b.  This holds for sums and products, which is all the
   Leibniz expansion of the determinant needs; no well-definedness of the
   reduction on all of Z_(m) is required. *)
Definition red_rel (x : rat) (y : Z) : Prop :=
  exists a b : int, [/\ (b%:~R : Z) \is a GRing.unit,
                        x * b%:~R = a%:~R & y = a%:~R / b%:~R].

Lemma red_rel_int (z : int) : red_rel z%:~R z%:~R.
Proof. by exists z, 1; rewrite !mulr1 invr1 mulr1 unitr1. Qed.

Lemma red_rel_ratred (x : rat) :
  ((denq x)%:~R : Z) \is a GRing.unit -> red_rel x (ratred x).
Proof. by move=> u; exists (numq x), (denq x); rewrite numqE. Qed.

Lemma red_relD x1 y1 x2 y2 :
  red_rel x1 y1 -> red_rel x2 y2 -> red_rel (x1 + x2) (y1 + y2).
Proof.
move=> [a1 [b1 [u1 e1 ->]]] [a2 [b2 [u2 e2 ->]]].
exists (a1 * b2 + a2 * b1), (b1 * b2); split.
- by rewrite intrM unitrM u1 u2.
- rewrite intrD !intrM mulrDl mulrA e1; congr (_ + _).
  by rewrite mulrCA e2 mulrC.
rewrite intrD !intrM invrM // mulrDl; congr (_ + _).
  by rewrite mulrA mulrK.
by rewrite [_^-1 * _]mulrC mulrA mulrK.
Qed.

Lemma red_relM x1 y1 x2 y2 :
  red_rel x1 y1 -> red_rel x2 y2 -> red_rel (x1 * x2) (y1 * y2).
Proof.
move=> [a1 [b1 [u1 e1 ->]]] [a2 [b2 [u2 e2 ->]]].
exists (a1 * a2), (b1 * b2); split.
- by rewrite intrM unitrM u1 u2.
- by rewrite !intrM mulrACA e1 e2.
by rewrite !intrM invrM // mulrACA [_^-1 * _]mulrC.
Qed.

Lemma red_rel_det (n : nat) (A : 'M[rat]_n) :
  (forall i j, ((denq (A i j))%:~R : Z) \is a GRing.unit) ->
  red_rel (\det A) (\det (map_mx ratred A)).
Proof.
move=> u; rewrite /determinant.
apply: (big_ind2 red_rel (red_rel_int 0) red_relD) => s _.
apply: red_relM; first by have := red_rel_int ((-1) ^+ s); rewrite !intr_sign.
apply: (big_ind2 red_rel (red_rel_int 1) red_relM) => i _.
by rewrite mxE; apply: red_rel_ratred.
Qed.

(* Reduction of the rational determinant entrywise: if every denominator is
   invertible in Z and the reduced determinant is non-zero, the rational
   determinant is non-zero. *)
Theorem det_ne0_of_ratred (n : nat) (A : 'M[rat]_n) :
  (forall i j, ((denq (A i j))%:~R : Z) \is a GRing.unit) ->
  \det (map_mx ratred A) != 0 -> \det A != 0.
Proof.
move=> /red_rel_det [a [b [u e ->]]]; apply: contra => /eqP d0.
by move: e; rewrite d0 mul0r => /esym/eqP; rewrite intr_eq0 => /eqP->; rewrite mul0r.
Qed.

End RatReduction.

(* The checker rule "rank >= r" for a rational matrix, modulus m > 1. *)
Theorem rank_ge_minor_mod (m rows cols r : nat) (M : 'M[rat]_(rows, cols))
    (rs : 'I_r -> 'I_rows) (cs : 'I_r -> 'I_cols) :
  (1 < m)%N ->
  (forall i j, coprime m `|denq (M (rs i) (cs j))|) ->
  \det (map_mx (@ratred [comUnitRingType of 'Z_m]) (mxsub rs cs M)) != 0 ->
  (r <= \rank M)%N.
Proof.
move=> m_gt1 cop /det_ne0_of_ratred det_neq0; apply: rank_ge_minor.
apply: det_neq0 => i j; rewrite mxE.
have -> : denq (M (rs i) (cs j)) = `|denq (M (rs i) (cs j))|%N :> int.
  by rewrite gez0_abs // ltW // denq_gt0.
by rewrite -pmulrn unitZpE.
Qed.

(* The same rule as stated in DESIGN.md: a prime p dividing no denominator. *)
Corollary rank_ge_minor_modp (p rows cols r : nat) (M : 'M[rat]_(rows, cols))
    (rs : 'I_r -> 'I_rows) (cs : 'I_r -> 'I_cols) :
  prime p ->
  (forall i j, ~~ (p %| `|denq (M i j)|)%N) ->
  \det (map_mx (@ratred [comUnitRingType of 'Z_p]) (mxsub rs cs M)) != 0 ->
  (r <= \rank M)%N.
Proof.
move=> p_pr ndvd; apply: rank_ge_minor_mod; first exact: prime_gt1.
by move=> i j; rewrite prime_coprime.
Qed.

(* ------------------------------------------------------------------------ *)
(* rank <= r via kernel vectors in echelon form                            *)
(* ------------------------------------------------------------------------ *)

Section EchelonKernel.
Variable F : fieldType.

(* Checker rule "rank <= r".  k j is the j-th kernel vector (a column of
   length n), free j its free column.  Distinctness of the free columns is
   not a hypothesis: k j (free j) = 1 and k j (free j') = 0 for j != j'
   already force free j != free j'. *)
Theorem rank_le_echelon_kernel (m n r : nat) (M : 'M[F]_(m, n))
    (k : 'I_(n - r) -> 'cV[F]_n) (free : 'I_(n - r) -> 'I_n) :
  (forall j, M *m k j = 0) ->
  (forall j j', k j (free j') 0 = (j == j')%:R) ->
  (\rank M <= r)%N.
Proof.
move=> Mk0 ech.
pose K : 'M[F]_(n, n - r) := \matrix_(i, j) k j i 0.
have MK0 : M *m K = 0.
  apply/matrixP => i j; have e := congr1 (fun v : 'cV_m => v i 0) (Mk0 j).
  rewrite /= [LHS]mxE [RHS]mxE in e; rewrite [LHS]mxE [RHS]mxE -{}[in RHS]e.
  by apply: eq_bigr => l _; rewrite mxE.
have rankK : (n - r <= \rank K)%N.
  apply: (@rank_ge_minor _ _ _ _ K free id).
  suff -> : mxsub free id K = 1%:M by rewrite det1 oner_neq0.
  by apply/matrixP => i j; rewrite !mxE ech eq_sym.
rewrite -(leq_add2r (\rank K)) (leq_trans (mulmx0_rank_max MK0)) //.
by rewrite -leq_subLR.
Qed.

End EchelonKernel.
