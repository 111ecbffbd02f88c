(* LmoLsq: soundness of the least-squares certificates of lmo-check (claim khk).

   Kawaguchi-Huang-Kaelbling 2019, (3.1) and Section 4: for the network's
   feature matrix A (its columns are the blocks A_1 .. A_(H+1)) and y = vec Y,
     J(theta) = 1/2 ||(I - P[A]) y||^2,
   and (4.2) splits ||P[A] y||^2 into the per-block terms ||P[N_b A_b] y||^2,
   N_b the projection onto the orthogonal complement of the previous blocks
   (their Lemma 3, a Gram-Schmidt step).  The checker never forms P[A] or N_b:
   a certificate gives for each column prefix A_(1..b) a coefficient vector
   c_b, the checker verifies the normal equations A^T (y - A c) = 0 exactly
   (GMP rationals) and reads J and the terms off the residuals
   r_b = y - A_(1..b) c_b.

   norm2 v = sum_i v_i^2 is the squared Euclidean norm of a column vector.
     - lsq_pythagoras        : A^T (y - A c) = 0 ==> |y|^2 = |A c|^2 + |y - A c|^2
     - lsq_residual_min      : A^T (y - A c) = 0 ==> |y - A c|^2 <= |y - A z|^2
                               for every z, so 1/2 |y - A c|^2 is the minimum
                               1/2 min_z |y - A z|^2 = 1/2 |(I - P[A]) y|^2 = J
     - lsq_residual_unique   : two solutions c, c' give A c = A c' (A may be
                               rank deficient: any accepted c is the projection)
     - lsq_exists            : the normal equations always have a solution
                               (so the certificate can always be produced)
     - lsq_same_range        : matrices with the same column space project alike
     - lsq_prefix_term       : with G (A1^T (A2 - A1 G) = 0, so Q = A2 - A1 G is
                               N A2) and d (Q^T (y - Q d) = 0, so Q d = P[Q] y):
                               |Q d|^2 = |r1|^2 - |r|^2, r1, r the residuals of
                               the prefixes A1 and [A1 A2]
     - lsq_prefix_term_exists: the checker form: from c1 and c alone, such G
                               and d exist, so term_b = |r_(b-1)|^2 - |r_b|^2.
   Everything holds over any realFieldType (an ordered field such as Q or R;
   over C the sum of squares would not be a norm). *)

From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Lsq.
Variable F : realFieldType.

Definition norm2 (n : nat) (v : 'cV[F]_n) : F := \sum_i (v i 0) ^+ 2.

Definition dot (n : nat) (u v : 'cV[F]_n) : F := (u^T *m v) 0 0.

Lemma dotE (n : nat) (u v : 'cV[F]_n) : dot u v = \sum_i u i 0 * v i 0.
Proof. by rewrite /dot mxE; apply: eq_bigr => i _; rewrite mxE. Qed.

Lemma norm2_dot (n : nat) (v : 'cV[F]_n) : norm2 v = dot v v.
Proof. by rewrite dotE; apply: eq_bigr => i _; rewrite expr2. Qed.

Lemma dotC (n : nat) (u v : 'cV[F]_n) : dot u v = dot v u.
Proof. by rewrite !dotE; apply: eq_bigr => i _; rewrite mulrC. Qed.

Lemma norm2D (n : nat) (u v : 'cV[F]_n) :
  norm2 (u + v) = norm2 u + norm2 v + dot u v *+ 2.
Proof.
rewrite /norm2 dotE -sumrMnl -!big_split /=; apply: eq_bigr => i _.
by rewrite mxE sqrrD addrAC.
Qed.

Lemma norm2_ge0 (n : nat) (v : 'cV[F]_n) : 0 <= norm2 v.
Proof. by rewrite sumr_ge0 // => i _; rewrite sqr_ge0. Qed.

Lemma norm2_eq0 (n : nat) (v : 'cV[F]_n) : (norm2 v == 0) = (v == 0).
Proof.
apply/idP/eqP => [/eqP /psumr_eq0P v0 | ->]; last first.
  by rewrite /norm2 big1 // => i _; rewrite mxE expr0n.
apply/matrixP => i j; rewrite ord1 mxE; apply/eqP.
by rewrite -sqrf_eq0; apply/eqP/v0 => // k _; rewrite sqr_ge0.
Qed.

(* A vector of the column space of A is orthogonal to every r with A^T r = 0. *)
Lemma dot_range_orth (n k : nat) (A : 'M[F]_(n, k)) (z : 'cV[F]_k) (r : 'cV[F]_n) :
  A^T *m r = 0 -> dot (A *m z) r = 0.
Proof. by move=> Ar0; rewrite /dot trmx_mul -mulmxA Ar0 mulmx0 mxE. Qed.

(* y = A c + r with r orthogonal to the column space of A. *)
Theorem lsq_pythagoras (n k : nat) (A : 'M[F]_(n, k)) (y : 'cV[F]_n) (c : 'cV[F]_k) :
  A^T *m (y - A *m c) = 0 ->
  norm2 y = norm2 (A *m c) + norm2 (y - A *m c).
Proof.
move=> normal; rewrite -[y in LHS](subrK (A *m c)) addrC [LHS]norm2D.
by rewrite dot_range_orth // mul0rn addr0.
Qed.

Lemma residual_shift (n k : nat) (A : 'M[F]_(n, k)) (y : 'cV[F]_n) (c z : 'cV[F]_k) :
  y - A *m z = (y - A *m c) + A *m (c - z).
Proof. by rewrite mulmxBr addrA subrK. Qed.

(* y - A z = r + A (c - z), and r is orthogonal to A (c - z). *)
Theorem lsq_residual_min (n k : nat) (A : 'M[F]_(n, k)) (y : 'cV[F]_n) (c : 'cV[F]_k) :
  A^T *m (y - A *m c) = 0 ->
  forall z : 'cV[F]_k, norm2 (y - A *m c) <= norm2 (y - A *m z).
Proof.
move=> normal z; rewrite [y - A *m z](residual_shift _ _ c) (norm2D (y - A *m c)).
rewrite (dotC (y - A *m c)) dot_range_orth //.
by rewrite mul0rn addr0 ler_addl norm2_ge0.
Qed.

(* A (c - c') = r' - r lies in the column space of A and is orthogonal to
   it, so its norm is 0. *)
Theorem lsq_residual_unique (n k : nat) (A : 'M[F]_(n, k)) (y : 'cV[F]_n)
    (c c' : 'cV[F]_k) :
  A^T *m (y - A *m c) = 0 -> A^T *m (y - A *m c') = 0 ->
  A *m c = A *m c'.
Proof.
move=> normal normal'.
have e : (y - A *m c') - (y - A *m c) = A *m (c - c').
  by rewrite opprB addrC addrA subrK mulmxBr.
have orth : A^T *m (A *m (c - c')) = 0 by rewrite -e mulmxBr normal normal' subr0.
apply/eqP; rewrite -subr_eq0 -mulmxBr -norm2_eq0 norm2_dot.
by rewrite dot_range_orth.
Qed.

(* The Gram-Schmidt step, with Q a variable: A2 = Q + A1 G and A1^T Q = 0.
   c' = (c1 - G d; d) also solves the normal equations of [A1 A2] (its
   residual r1 - Q d is orthogonal to A1 and to Q, hence to A2), so by
   uniqueness r = r1 - Q d; Q d = [A1 A2] (-G d; d) is orthogonal to r, and
   Pythagoras gives |r1|^2 = |r|^2 + |Q d|^2. *)
Lemma prefix_term_aux (n k1 k2 : nat) (A1 : 'M[F]_(n, k1)) (A2 Q : 'M[F]_(n, k2))
    (G : 'M[F]_(k1, k2)) (y : 'cV[F]_n) (c1 : 'cV[F]_k1) (c : 'cV[F]_(k1 + k2))
    (d : 'cV[F]_k2) :
  A2 = Q + A1 *m G ->
  A1^T *m (y - A1 *m c1) = 0 ->
  (row_mx A1 A2)^T *m (y - row_mx A1 A2 *m c) = 0 ->
  A1^T *m Q = 0 ->
  Q^T *m (y - Q *m d) = 0 ->
  norm2 (Q *m d) = norm2 (y - A1 *m c1) - norm2 (y - row_mx A1 A2 *m c).
Proof.
move=> A2E n1 nB orthQ nQ.
have QA1 : Q^T *m A1 = 0 by rewrite -[A1]trmxK -trmx_mul orthQ trmx0.
pose c' := col_mx (c1 - G *m d) d.
have rc' : y - row_mx A1 A2 *m c' = (y - A1 *m c1) - Q *m d.
  rewrite mul_row_col mulmxBr mulmxA A2E mulmxDl !opprD !addrA.
  by rewrite [_ - Q *m d]addrAC subrK.
have n1' : A1^T *m ((y - A1 *m c1) - Q *m d) = 0.
  by rewrite mulmxBr n1 mulmxA orthQ mul0mx subrr.
have nB' : (row_mx A1 A2)^T *m (y - row_mx A1 A2 *m c') = 0.
  have trD : (Q + A1 *m G)^T = Q^T + (A1 *m G)^T by apply/matrixP => i j; rewrite !mxE.
  rewrite rc' tr_row_mx mul_col_mx n1' A2E trD trmx_mul mulmxDl -mulmxA n1'.
  rewrite mulmx0 addr0 addrAC mulmxBr nQ mulmxA QA1 mul0mx subrr.
  exact: col_mx0.
have r_eq : y - row_mx A1 A2 *m c = (y - A1 *m c1) - Q *m d.
  by rewrite (lsq_residual_unique nB nB') rc'.
have Q_range : Q *m d = row_mx A1 A2 *m (col_mx (- G) 1%:M *m d).
  by rewrite mulmxA mul_row_col mulmx1 mulmxN A2E addrC addrK.
have r1_eq : y - A1 *m c1 = (y - row_mx A1 A2 *m c) + Q *m d by rewrite r_eq subrK.
rewrite r1_eq norm2D [in dot _ _]Q_range dotC dot_range_orth // mul0rn addr0.
by rewrite [norm2 (y - _) + _]addrC addrK.
Qed.

(* The statement with Q written out as A2 - A1 G. *)
Theorem lsq_prefix_term (n k1 k2 : nat) (A1 : 'M[F]_(n, k1)) (A2 : 'M[F]_(n, k2))
    (y : 'cV[F]_n) (c1 : 'cV[F]_k1) (c : 'cV[F]_(k1 + k2)) (G : 'M[F]_(k1, k2))
    (d : 'cV[F]_k2) :
  A1^T *m (y - A1 *m c1) = 0 ->
  (row_mx A1 A2)^T *m (y - row_mx A1 A2 *m c) = 0 ->
  A1^T *m (A2 - A1 *m G) = 0 ->
  (A2 - A1 *m G)^T *m (y - (A2 - A1 *m G) *m d) = 0 ->
  norm2 ((A2 - A1 *m G) *m d) = norm2 (y - A1 *m c1) - norm2 (y - row_mx A1 A2 *m c).
Proof. by move=> *; apply: (@prefix_term_aux _ _ _ _ _ _ G) => //; rewrite subrK. Qed.

(* The normal equations always have a solution, whatever the rank of A:
   \rank (A^T A) = \rank A because A^T A u = 0 forces |A u|^2 = 0. *)
Lemma gram_rank (n k : nat) (A : 'M[F]_(n, k)) : \rank (A^T *m A) = \rank A.
Proof.
have cap0 : (A^T :&: kermx A)%MS = 0.
  apply/eqP; rewrite -submx0; apply/rV_subP => w.
  rewrite sub_capmx => /andP[/submxP[u ->] /sub_kermxP wA0].
  rewrite submx0 -trmx_eq0 -norm2_eq0 norm2_dot /dot trmxK.
  by rewrite trmx_mul trmxK mulmxA wA0 mul0mx mxE.
by rewrite -(mxrank_tr A) -(mxrank_mul_ker A^T A) cap0 mxrank0 addn0.
Qed.

Lemma lsq_exists_mx (n k p : nat) (A : 'M[F]_(n, k)) (Y : 'M[F]_(n, p)) :
  exists C : 'M[F]_(k, p), A^T *m (Y - A *m C) = 0.
Proof.
have AsubG : (A <= A^T *m A)%MS.
  by rewrite -(mxrank_leqif_sup (submxMl A^T A)).2 gram_rank.
have /submxP [D YA] : (Y^T *m A <= A^T *m A)%MS := submx_trans (submxMl _ _) AsubG.
exists D^T; rewrite mulmxBr mulmxA -[A^T *m Y]trmxK trmx_mul trmxK YA.
by rewrite trmx_mul trmx_mul trmxK subrr.
Qed.

Theorem lsq_exists (n k : nat) (A : 'M[F]_(n, k)) (y : 'cV[F]_n) :
  exists c : 'cV[F]_k, A^T *m (y - A *m c) = 0.
Proof. exact: lsq_exists_mx. Qed.

Lemma col_mul (m n p : nat) (j : 'I_p) (A : 'M[F]_(m, n)) (B : 'M[F]_(n, p)) :
  col j (A *m B) = A *m col j B.
Proof.
by apply/matrixP => a b; rewrite !mxE; apply: eq_bigr => i _; rewrite !mxE.
Qed.

(* The same, column by column: A C is the projection of Y's columns. *)
Lemma lsq_residual_unique_mx (n k p : nat) (A : 'M[F]_(n, k)) (Y : 'M[F]_(n, p))
    (C C' : 'M[F]_(k, p)) :
  A^T *m (Y - A *m C) = 0 -> A^T *m (Y - A *m C') = 0 -> A *m C = A *m C'.
Proof.
have colE X j : col j (A^T *m (Y - A *m X)) = A^T *m (col j Y - A *m col j X).
  by rewrite col_mul linearB /= col_mul.
move=> normal normal'; apply/matrixP => i j.
have := @lsq_residual_unique _ _ A (col j Y) (col j C) (col j C').
rewrite -!colE normal normal' -!col_mul => /(_ (col0 _ _ _) (col0 _ _ _)) /matrixP.
by move=> /(_ i 0); rewrite !mxE.
Qed.

(* Two matrices with the same column space give the same projection:
   the checker may use any generating set of the previous blocks (the
   paper's Q_1 .. Q_(b-1) or A_1 .. A_(b-1)). *)
Theorem lsq_same_range (n k l : nat) (A : 'M[F]_(n, k)) (W : 'M[F]_(n, l))
    (S : 'M[F]_(l, k)) (T : 'M[F]_(k, l)) (y : 'cV[F]_n) (c : 'cV[F]_k) (e : 'cV[F]_l) :
  A = W *m S -> W = A *m T ->
  A^T *m (y - A *m c) = 0 -> W^T *m (y - W *m e) = 0 -> A *m c = W *m e.
Proof.
move=> AWS WAT nA nW; have nW' : W^T *m (y - W *m (S *m c)) = 0.
  by rewrite mulmxA -AWS [in W^T]WAT trmx_mul -mulmxA nA mulmx0.
by rewrite (lsq_residual_unique nW nW') mulmxA -AWS.
Qed.

(* The checker form of lsq_prefix_term: from the two least-squares
   certificates of consecutive column prefixes alone, G and d exist, so
   |r1|^2 - |r|^2 is |P[Q] y|^2 for Q = (I - P[A1]) A2, which is well defined
   (lsq_residual_unique_mx, lsq_residual_unique). *)
Theorem lsq_prefix_term_exists (n k1 k2 : nat) (A1 : 'M[F]_(n, k1)) (A2 : 'M[F]_(n, k2))
    (y : 'cV[F]_n) (c1 : 'cV[F]_k1) (c : 'cV[F]_(k1 + k2)) :
  A1^T *m (y - A1 *m c1) = 0 ->
  (row_mx A1 A2)^T *m (y - row_mx A1 A2 *m c) = 0 ->
  exists G : 'M[F]_(k1, k2), exists d : 'cV[F]_k2,
    [/\ A1^T *m (A2 - A1 *m G) = 0,
        (A2 - A1 *m G)^T *m (y - (A2 - A1 *m G) *m d) = 0 &
        norm2 ((A2 - A1 *m G) *m d)
          = norm2 (y - A1 *m c1) - norm2 (y - row_mx A1 A2 *m c)].
Proof.
move=> n1 nB; have [G nG] := lsq_exists_mx A1 A2.
have [d nd] := lsq_exists (A2 - A1 *m G) y.
by exists G, d; split => //; apply: lsq_prefix_term.
Qed.

End Lsq.
