(* LmoSoudryCarmon: the Khatri-Rao product of Soudry & Carmon (2016),
   eq. (4.4), their Lemma 1, and the witness identity (B.5)-(B.6).

   Index convention (the one lmo uses, G[i*d0 + j][n] = A[i][n] * X[j][n]):
   row k of A o X (A is d1 x N, X is d0 x N) is the pair
   (i, j) = (k / d0, k mod d0), i.e. k = i*d0 + j.
     - khatri_rao, khatri_rao_entry : the definition and its entry formula
     - khatri_rao_col                : column n is the Kronecker product of
                                       column n of A and column n of X
     - khatri_rao_gradient           : (A o X) e is vec of sum_n e_n a_n x_n^T,
                                       the gradient of eq. (4.3)
   Checker rule "critical point + full rank => zero error" (Lemma 1):
     - lemma1_zero_error             : rank G = N, G e = 0 -> e = 0
     - lemma1_gradient               : rank (A o X) = N and the gradient
                                       sum_n e_n a_n x_n^T = 0 -> e = 0
   Checker rule "witness: G' = [I]_{1..N}" ((B.5)-(B.6)):
     - witness_khatri_rao            : (I_d1 (x) 1_{1 x d2}) o (1_{1 x d1} (x) I_d2)
                                       = I_{d1 d2}
     - witness_first_cols            : the same for the first N columns
                                       (B.5 truncates before the product)
     - rank_first_cols_id            : rank [I]_{1..N} = N
     - witness_rank                  : so the witness G' has rank N *)

From mathcomp Require Import all_ssreflect all_algebra.
From Lmo Require Import LmoRank.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

(* ------------------------------------------------------------------------ *)
(* Row index k of a product dimension d1 * d2 <-> pair (k / d2, k mod d2)  *)
(* ------------------------------------------------------------------------ *)

Section PairIndex.
Variables d1 d2 : nat.

Lemma pair_dim_gt0 (k : 'I_(d1 * d2)) : (0 < d2)%N.
Proof. by case: d2 k => [|//] [k]; rewrite muln0. Qed.

Lemma pair_fst_lt (k : 'I_(d1 * d2)) : (k %/ d2 < d1)%N.
Proof. by rewrite ltn_divLR ?pair_dim_gt0. Qed.

Lemma pair_snd_lt (k : 'I_(d1 * d2)) : (k %% d2 < d2)%N.
Proof. by rewrite ltn_mod pair_dim_gt0. Qed.

(* i of k = i*d2 + j *)
Definition pair_fst (k : 'I_(d1 * d2)) : 'I_d1 := Ordinal (pair_fst_lt k).
(* j of k = i*d2 + j *)
Definition pair_snd (k : 'I_(d1 * d2)) : 'I_d2 := Ordinal (pair_snd_lt k).

Lemma pair_index_lt (i : 'I_d1) (j : 'I_d2) : (i * d2 + j < d1 * d2)%N.
Proof.
by rewrite (leq_trans (_ : _ < i * d2 + d2)%N) ?ltn_add2l // -mulSnr leq_mul2r ltn_ord orbT.
Qed.

(* k = i*d2 + j *)
Definition pair_index (i : 'I_d1) (j : 'I_d2) : 'I_(d1 * d2) :=
  Ordinal (pair_index_lt i j).

Lemma pair_fstK i j : pair_fst (pair_index i j) = i.
Proof.
apply: val_inj => /=; have d2_gt0 : (0 < d2)%N by case: d2 j => [[]|].
by rewrite divnMDl // divn_small ?addn0.
Qed.

Lemma pair_sndK i j : pair_snd (pair_index i j) = j.
Proof. by apply: val_inj => /=; rewrite modnMDl modn_small. Qed.

Lemma pair_indexK (k : 'I_(d1 * d2)) : pair_index (pair_fst k) (pair_snd k) = k.
Proof. by apply: val_inj => /=; rewrite -divn_eq. Qed.

Lemma pair_eq (k l : 'I_(d1 * d2)) :
  (k == l) = (pair_fst k == pair_fst l) && (pair_snd k == pair_snd l).
Proof.
apply/eqP/andP => [-> //|[/eqP e1 /eqP e2]].
by rewrite -(pair_indexK k) -(pair_indexK l) e1 e2.
Qed.

End PairIndex.

Section KhatriRao.
Variable R : comRingType.

(* Kronecker product: (A (x) B)[i*m2 + k][j*n2 + l] = A[i][j] * B[k][l]. *)
Definition kron (m1 n1 m2 n2 : nat) (A : 'M[R]_(m1, n1)) (B : 'M[R]_(m2, n2))
    : 'M[R]_(m1 * m2, n1 * n2) :=
  \matrix_(k, l) (A (pair_fst k) (pair_fst l) * B (pair_snd k) (pair_snd l)).

(* Khatri-Rao (column-wise Kronecker) product, eq. (4.4):
   (A o X)[i*d0 + j][n] = A[i][n] * X[j][n]. *)
Definition khatri_rao (d1 d0 N : nat) (A : 'M[R]_(d1, N)) (X : 'M[R]_(d0, N))
    : 'M[R]_(d1 * d0, N) :=
  \matrix_(k, n) (A (pair_fst k) n * X (pair_snd k) n).

Lemma khatri_rao_entry (d1 d0 N : nat) (A : 'M[R]_(d1, N)) (X : 'M[R]_(d0, N))
    (i : 'I_d1) (j : 'I_d0) (n : 'I_N) :
  khatri_rao A X (pair_index i j) n = A i n * X j n.
Proof. by rewrite mxE pair_fstK pair_sndK. Qed.

(* Column n of A o X is a^(n) (x) x^(n); 1 * 1 = 1 by computation. *)
Lemma khatri_rao_col (d1 d0 N : nat) (A : 'M[R]_(d1, N)) (X : 'M[R]_(d0, N))
    (n : 'I_N) :
  col n (khatri_rao A X) = kron (col n A) (col n X).
Proof. by apply/matrixP => k l; rewrite !mxE. Qed.

(* Taking columns commutes with the column-wise product. *)
Lemma khatri_rao_colsub (d1 d0 N N' : nat) (g : 'I_N' -> 'I_N)
    (A : 'M[R]_(d1, N)) (X : 'M[R]_(d0, N)) :
  khatri_rao (colsub g A) (colsub g X) = colsub g (khatri_rao A X).
Proof. by apply/matrixP => k n; rewrite !mxE. Qed.

(* The gradient of eq. (4.3): sum_n e_n a^(n) x^(n)^T = A diag(e) X^T; its
   entry (i, j) is entry i*d0 + j of (A o X) e, which is eq. (4.5). *)
Lemma khatri_rao_gradient (d1 d0 N : nat) (A : 'M[R]_(d1, N))
    (X : 'M[R]_(d0, N)) (e : 'cV[R]_N) (i : 'I_d1) (j : 'I_d0) :
  (khatri_rao A X *m e) (pair_index i j) 0 = (A *m diag_mx e^T *m X^T) i j.
Proof.
rewrite !mxE; apply: eq_bigr => n _; rewrite !mxE pair_fstK pair_sndK.
rewrite (bigD1 n) //= big1 => [|l nl]; last by rewrite !mxE (negbTE nl) mulr0n mulr0.
by rewrite addr0 !mxE eqxx mulr1n -!mulrA; congr (_ * _); apply: mulrC.
Qed.

(* [M]_{1..N}: the first N columns of M. *)
Definition first_cols (r c N : nat) (hN : (N <= c)%N) (M : 'M[R]_(r, c)) : 'M[R]_(r, N) :=
  colsub (widen_ord hN) M.

End KhatriRao.

(* ------------------------------------------------------------------------ *)
(* Lemma 1: full column rank and G e = 0 force e = 0                        *)
(* ------------------------------------------------------------------------ *)

Section Lemma1.
Variable F : fieldType.

Theorem lemma1_zero_error (k N : nat) (G : 'M[F]_(k, N)) (e : 'cV[F]_N) :
  \rank G = N -> G *m e = 0 -> e = 0.
Proof.
move=> rankG Ge0; have free : row_free G^T by rewrite /row_free mxrank_tr rankG.
apply: trmx_inj; rewrite trmx0; apply/eqP.
by rewrite -(mulmx_free_eq0 _ free) -trmx_mul Ge0 trmx0.
Qed.

(* The paper's form: at a differentiable critical point the gradient (4.3)
   sum_n e_n a^(n) x^(n)^T vanishes; with rank (A o X) = N the error vector
   e = prediction - target is zero, so the MSE is zero. *)
Theorem lemma1_gradient (d1 d0 N : nat) (A : 'M[F]_(d1, N)) (X : 'M[F]_(d0, N))
    (yhat y : 'cV[F]_N) :
  \rank (khatri_rao A X) = N ->
  A *m diag_mx (yhat - y)^T *m X^T = 0 ->
  yhat = y.
Proof.
move=> rankG grad0; apply/eqP; rewrite -subr_eq0; apply/eqP.
apply: (lemma1_zero_error rankG); apply/matrixP => k l.
rewrite ord1 -(pair_indexK k) khatri_rao_gradient grad0 !mxE //.
Qed.

End Lemma1.

(* ------------------------------------------------------------------------ *)
(* The witness (B.5)-(B.6)                                                  *)
(* ------------------------------------------------------------------------ *)

Section Witness.
Variable F : fieldType.
Variables d1 d2 : nat.

(* I_{d1} (x) 1_{1 x d2} : d1 x d1*d2 (the A'_{L-1} of (B.5) before truncation) *)
Definition witness_A : 'M[F]_(d1, d1 * d2) :=
  castmx (muln1 d1, erefl) (kron (1%:M : 'M[F]_d1) (const_mx 1 : 'M[F]_(1, d2))).

(* 1_{1 x d1} (x) I_{d2} : d2 x d1*d2 (the A'_{L-2} of (B.5) before truncation) *)
Definition witness_B : 'M[F]_(d2, d1 * d2) :=
  castmx (mul1n d2, erefl) (kron (const_mx 1 : 'M[F]_(1, d1)) (1%:M : 'M[F]_d2)).

(* Column n of witness_A is e_i and column n of witness_B is e_j, n = i*d2 + j. *)
Lemma witness_A_entry (i : 'I_d1) (n : 'I_(d1 * d2)) :
  witness_A i n = (i == pair_fst n)%:R.
Proof.
rewrite castmxE !mxE /= mulr1 cast_ord_id; congr ((_ == _)%:R).
by apply: val_inj; rewrite /= divn1.
Qed.

Lemma witness_B_entry (j : 'I_d2) (n : 'I_(d1 * d2)) :
  witness_B j n = (j == pair_snd n)%:R.
Proof.
rewrite castmxE !mxE /= mul1r cast_ord_id; congr ((_ == _)%:R).
by apply: val_inj => /=; rewrite modn_small.
Qed.

(* (B.6) before truncation: witness_A o witness_B = I_{d1 d2}. *)
Theorem witness_khatri_rao : khatri_rao witness_A witness_B = 1%:M.
Proof.
apply/matrixP => k n; rewrite !mxE witness_A_entry witness_B_entry -natrM.
by rewrite mulnb -pair_eq.
Qed.

(* (B.6): [A']_{1..N} o [B']_{1..N} = [I_{d1 d2}]_{1..N}. *)
Theorem witness_first_cols (N : nat) (hN : (N <= d1 * d2)%N) :
  khatri_rao (first_cols hN witness_A) (first_cols hN witness_B)
  = first_cols hN (1%:M : 'M[F]_(d1 * d2)).
Proof. by rewrite /first_cols khatri_rao_colsub witness_khatri_rao. Qed.

End Witness.

(* The checker's comparison target: [I_k]_{1..N} has rank N. *)
Theorem rank_first_cols_id (F : fieldType) (k N : nat) (hN : (N <= k)%N) :
  \rank (first_cols hN (1%:M : 'M[F]_k)) = N.
Proof.
apply/eqP; rewrite eqn_leq rank_leq_col /=.
apply: (@rank_ge_minor _ _ _ _ _ (widen_ord hN) id).
suff -> : mxsub (widen_ord hN) id (first_cols hN (1%:M : 'M[F]_k)) = 1%:M.
  by rewrite det1 oner_neq0.
apply/matrixP => i j; rewrite !mxE.
by congr (_ _)%:R; apply/eqP/eqP => [/(congr1 val)/val_inj|->].
Qed.

(* Checker rule "witness": if the exact forward pass gives G' = [I]_{1..N}
   then rank G' = N. *)
Corollary witness_check_rank (F : fieldType) (k N : nat) (hN : (N <= k)%N)
    (G' : 'M[F]_(k, N)) :
  G' = first_cols hN 1%:M -> \rank G' = N.
Proof. by move=> ->; apply: rank_first_cols_id. Qed.

(* Soudry-Carmon (B.6): the witness G' has full column rank N. *)
Theorem witness_rank (F : fieldType) (d1 d2 N : nat) (hN : (N <= d1 * d2)%N) :
  \rank (khatri_rao (first_cols hN (witness_A F d1 d2))
                    (first_cols hN (witness_B F d1 d2))) = N.
Proof. by rewrite witness_first_cols rank_first_cols_id. Qed.
