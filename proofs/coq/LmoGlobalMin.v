(* LmoGlobalMin: soundness of the deep-linear "global_min" certificate
   (proofs/README.md, "The global minimum part"; C code: global_min in
   proofs/dl.c).

   Setting (Kawaguchi 2016, deep linear network). X is dx x m, Y is dy x m;
   the loss of an end-to-end matrix M (dy x dx) is
     dl_loss X Y M = 1/2 tr((M X - Y)(M X - Y)^T),
   and the loss of weights W1, ..., W(H+1) is the loss of W(H+1) ... W1.
   q = min(d1, ..., dH, dy) bounds the rank of every such product.

   The checker's rules, as hypotheses of global_min_rule:
     rule 1  row_free Rb, (X <= Rb)%MS   Rb = the non-zero rows of rref X, a
                                         row basis of X (only "full row rank"
                                         and "spans the rows of X" are used)
             Sigma = (Rb Y^T)^T (Rb Rb^T)^-1 (Rb Y^T)   the checker's Sigma
             pb <= dy                    0 <= rank_C <= dy
     rule 2  C S = B, C^T N = 0, \rank [B N] = dy
     rule 3  N^T Sigma B = 0
     rule 4  pb = q \/ Sigma N = 0
     rule 5  2 L = tr(Y Y^T) - tr((B^T B)^-1 (B^T Sigma B))
     rule 6  psd (B^T (Sigma - tau I) B), psd (N^T (tau I - Sigma) N)
             (psd is LmoLDL's quadratic-form notion, the conclusion of
             ldl_certificate_psd; global_min_rule_ldl takes the two LDL
             certificates themselves; "strict" (D > 0) is not needed here)
   Conclusion: L <= dl_loss X Y M for every M with \rank M <= q.

   Nothing else is assumed: not pb <= q, not that C is W(H+1)...W2 (C may be
   any dy x d1 matrix; C S = B and C^T N = 0 are only used through
   B^T N = 0), not that
   X X^T is invertible, not that L is the loss at theta. global_min_weights
   then adds what the checker computes itself: L is the loss at the
   certificate's weights theta and q = min(d1, ..., dH, dy) is read off
   theta's shapes, so theta is a global minimum.

   Proof (no eigenvalues: MathComp has no spectral theorem).
     (1)-(2) dl_loss_lower: Pi = Rb^T (Rb Rb^T)^-1 Rb is the orthogonal
         projector onto the row space of Rb, X Pi = X, Sigma = Y Pi Y^T.
         With P the orthogonal projector onto the column space of M X
         (tr P = rank (M X) <= q): ||M X - Y||^2 >= tr(Y Y^T) - tr(P Sigma).
     (3) kyfan_separator_bound / kyfan_trace: with P_V = B (B^T B)^-1 B^T and
         P_W = N (N^T N)^-1 N^T, P_V + P_W = I and
         Sigma - tau I = P_V (Sigma - tau I) P_V - P_W (tau I - Sigma) P_W,
         both terms PSD by rule 6, so for every orthogonal projector P
           tr(P Sigma) <= tr(P_V Sigma) + tau (tr P - pb);
         if tau <= 0, or rank P > pb (then rule 4 gives Sigma N = 0), the
         separator 0 also satisfies rule 6, hence tr(P Sigma) <= tr(P_V Sigma).
     (4) tr(P_V Sigma) = tr((B^T B)^-1 B^T Sigma B), so by rule 5
         2 L <= 2 dl_loss X Y M.

   Any real field, in particular rat. *)

From mathcomp Require Import all_ssreflect fingroup perm all_algebra.
From Lmo Require Import LmoLDL.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section GlobalMin.
Variable F : realFieldType.

(* The squared Frobenius norm ||A||^2 = tr(A A^T) = sum of the squared entries. *)
Definition sqnorm (m n : nat) (A : 'M[F]_(m, n)) : F := \tr (A *m A^T).

(* The orthogonal projector onto the row space of A: A^T (A A^T)^-1 A.
   (rowproj B^T = B (B^T B)^-1 B^T projects onto the column space of B.) *)
Definition rowproj (r n : nat) (A : 'M[F]_(r, n)) : 'M[F]_n :=
  A^T *m invmx (A *m A^T) *m A.

Local Lemma mxtraceB (n : nat) (A B : 'M[F]_n) : \tr (A - B) = \tr A - \tr B.
Proof. exact: raddfB. Qed.

Local Lemma mxtraceN (n : nat) (A : 'M[F]_n) : \tr (- A) = - \tr A.
Proof. exact: raddfN. Qed.

Lemma sqnormE (m n : nat) (A : 'M[F]_(m, n)) :
  sqnorm A = \sum_i \sum_j A i j ^+ 2.
Proof.
rewrite /sqnorm /mxtrace; apply: eq_bigr => i _; rewrite mxE.
by apply: eq_bigr => j _; rewrite mxE expr2.
Qed.

Lemma sqnorm_ge0 (m n : nat) (A : 'M[F]_(m, n)) : 0 <= sqnorm A.
Proof.
by rewrite sqnormE sumr_ge0 // => i _; rewrite sumr_ge0 // => j _; rewrite sqr_ge0.
Qed.

Lemma sqnorm_eq0 (m n : nat) (A : 'M[F]_(m, n)) : sqnorm A = 0 -> A = 0.
Proof.
rewrite sqnormE => h; apply/matrixP => i j; rewrite mxE.
have h1 : \sum_j A i j ^+ 2 = 0.
  by apply: (psumr_eq0P _ h) => // k _; rewrite sumr_ge0 // => j' _; rewrite sqr_ge0.
have /eqP : A i j ^+ 2 = 0 by apply: (psumr_eq0P _ h1) => // k _; rewrite sqr_ge0.
by rewrite sqrf_eq0 => /eqP.
Qed.

Lemma sqnormN (m n : nat) (A : 'M[F]_(m, n)) : sqnorm (- A) = sqnorm A.
Proof. by rewrite /sqnorm linearN mulNmx mulmxN opprK. Qed.

(* A row-free (full row rank) matrix is cancellable on the right. *)
Local Lemma row_free_mul0 (k r n : nat) (A : 'M[F]_(r, n)) (K : 'M[F]_(k, r)) :
  row_free A -> K *m A = 0 -> K = 0.
Proof. by move=> Afree KA; apply: (row_free_inj Afree); rewrite KA mul0mx. Qed.

(* Full row rank over an ordered field makes the Gram matrix A A^T invertible:
   K A A^T = 0 gives ||K A||^2 = 0, so K A = 0, so K = 0. *)
Local Lemma gram_unit (r n : nat) (A : 'M[F]_(r, n)) :
  row_free A -> A *m A^T \in unitmx.
Proof.
move=> Afree; rewrite -row_free_unit -kermx_eq0; apply/eqP.
apply: (row_free_mul0 Afree); apply: sqnorm_eq0.
by rewrite /sqnorm trmx_mul !mulmxA -(mulmxA (kermx _)) mulmx_ker mul0mx mxtrace0.
Qed.

(* Properties of rowproj A for a full-row-rank A. *)
Section Proj.
Variables (r n : nat) (A : 'M[F]_(r, n)).
Variable Afree : row_free A.

Lemma rowproj_tr : (rowproj A)^T = rowproj A.
Proof. by rewrite /rowproj !trmx_mul trmxK trmx_inv trmx_mul trmxK mulmxA. Qed.

Lemma rowproj_id : A *m rowproj A = A.
Proof. by rewrite /rowproj !mulmxA mulmxV ?gram_unit // mul1mx. Qed.

Lemma rowproj_idem : rowproj A *m rowproj A = rowproj A.
Proof. by rewrite {1}/rowproj -mulmxA rowproj_id. Qed.

Lemma rowproj_sub (k : nat) (B : 'M[F]_(k, n)) : (B <= A)%MS -> B *m rowproj A = B.
Proof. by case/submxP => K ->; rewrite -mulmxA rowproj_id. Qed.

Lemma rowproj_ker (k : nat) (B : 'M[F]_(k, n)) : B *m A^T = 0 -> B *m rowproj A = 0.
Proof. by rewrite /rowproj !mulmxA => ->; rewrite !mul0mx. Qed.

Lemma rowproj_trace : \tr (rowproj A) = r%:R.
Proof. by rewrite /rowproj mxtrace_mulC mulmxA mulmxV ?gram_unit // mxtrace1. Qed.

End Proj.


(* qform / psd are LmoLDL's: qform H v = (v^T H v) 0 0,
   psd H = forall v, 0 <= qform H v. *)
Local Lemma qform_congr (n p : nat) (H : 'M[F]_n) (A : 'M[F]_(n, p)) (w : 'cV[F]_p) :
  qform (A^T *m H *m A) w = qform H (A *m w).
Proof. by rewrite /qform trmx_mul !mulmxA. Qed.

Local Lemma psd_congr (n p : nat) (H : 'M[F]_n) (A : 'M[F]_(n, p)) :
  psd H -> psd (A^T *m H *m A).
Proof. by move=> Hpsd w; rewrite qform_congr. Qed.

Local Lemma qformB (n : nat) (H1 H2 : 'M[F]_n) (v : 'cV[F]_n) :
  qform (H1 - H2) v = qform H1 v - qform H2 v.
Proof. by rewrite /qform mulmxBr mulmxBl !mxE. Qed.

Local Lemma qform_scalar (n : nat) (a : F) (v : 'cV[F]_n) :
  qform a%:M v = a * sqnorm v^T.
Proof.
by rewrite /qform /sqnorm mul_mx_scalar -scalemxAl mxE trmxK /mxtrace big_ord1.
Qed.

Local Lemma qform0 (n : nat) (v : 'cV[F]_n) : qform 0 v = 0.
Proof. by rewrite /qform mulmx0 mul0mx mxE. Qed.

(* The trace of a PSD matrix is a sum of values of its quadratic form. *)
Local Lemma psd_trace_ge0 (n : nat) (A : 'M[F]_n) : psd A -> 0 <= \tr A.
Proof.
move=> Apsd; rewrite /mxtrace sumr_ge0 // => i _.
by have := Apsd (delta_mx i 0); rewrite /qform trmx_delta -rowE -colE !mxE.
Qed.

(* Orthogonal projectors: symmetric idempotent matrices. *)
Definition is_orthproj (n : nat) (Q : 'M[F]_n) : Prop := Q^T = Q /\ Q *m Q = Q.

Lemma is_orthproj_rowproj (r n : nat) (A : 'M[F]_(r, n)) :
  row_free A -> is_orthproj (rowproj A).
Proof. by move=> Afree; split; [apply: rowproj_tr | apply: rowproj_idem]. Qed.

Lemma is_orthproj_compl (n : nat) (Q : 'M[F]_n) : is_orthproj Q -> is_orthproj (1%:M - Q).
Proof.
case=> Qt Qi; split; first by rewrite linearB /= trmx1 Qt.
by rewrite mulmxBl mul1mx mulmxBr mulmx1 Qi subrr subr0.
Qed.

(* tr(Q A) = tr(Q^T A Q) >= 0 for an orthogonal projector Q and a PSD A. *)
Lemma is_orthproj_trace_ge0 (n : nat) (Q A : 'M[F]_n) :
  is_orthproj Q -> psd A -> 0 <= \tr (Q *m A).
Proof.
case=> Qt Qi Apsd; rewrite -Qi -mulmxA mxtrace_mulC -{1}Qt.
exact/psd_trace_ge0/psd_congr.
Qed.

Lemma mulmx_orthproj_tr (k n : nat) (Q : 'M[F]_n) (A : 'M[F]_(k, n)) :
  is_orthproj Q -> (A *m Q) *m (A *m Q)^T = A *m Q *m A^T.
Proof. by case=> Qt Qi; rewrite trmx_mul Qt mulmxA -(mulmxA A) Qi. Qed.

Lemma sqnorm_mulr (k n : nat) (Q : 'M[F]_n) (A : 'M[F]_(k, n)) :
  is_orthproj Q -> sqnorm (A *m Q) = \tr (A *m Q *m A^T).
Proof. by move=> Qp; rewrite /sqnorm mulmx_orthproj_tr. Qed.

Lemma sqnorm_mull (k n : nat) (Q : 'M[F]_n) (A : 'M[F]_(n, k)) :
  is_orthproj Q -> sqnorm (Q *m A) = \tr (Q *m (A *m A^T)).
Proof.
case=> Qt Qi; rewrite /sqnorm trmx_mul Qt [LHS]mxtrace_mulC (mulmxA (A^T *m Q)).
rewrite -(mulmxA A^T) Qi.
by rewrite [LHS]mxtrace_mulC (mulmxA A) [LHS]mxtrace_mulC.
Qed.

(* ||A||^2 = ||A Q||^2 + ||A (1%:M - Q)||^2 and ||A||^2 = ||Q A||^2 + ||(1%:M - Q) A||^2. *)
Lemma sqnorm_split_r (k n : nat) (Q : 'M[F]_n) (A : 'M[F]_(k, n)) :
  is_orthproj Q -> sqnorm A = sqnorm (A *m Q) + sqnorm (A *m (1%:M - Q)).
Proof.
move=> Qp; rewrite !sqnorm_mulr //; last exact: is_orthproj_compl.
have e : A *m A^T = A *m Q *m A^T + A *m (1%:M - Q) *m A^T.
  by rewrite -mulmxDl -mulmxDr addrC subrK mulmx1.
by rewrite {1}/sqnorm {1}e mxtraceD.
Qed.

Lemma sqnorm_split_l (k n : nat) (Q : 'M[F]_n) (A : 'M[F]_(n, k)) :
  is_orthproj Q -> sqnorm A = sqnorm (Q *m A) + sqnorm ((1%:M - Q) *m A).
Proof.
move=> Qp; rewrite !sqnorm_mull //; last exact: is_orthproj_compl.
have e : A *m A^T = Q *m (A *m A^T) + (1%:M - Q) *m (A *m A^T).
  by rewrite -mulmxDl addrC subrK mul1mx.
by rewrite {1}/sqnorm {1}e mxtraceD.
Qed.


(* Steps (1)-(2). Pi, P orthogonal projectors with Z Pi = Z and P Z = Z:
     ||Z - Y||^2 = ||(Z - Y) Pi||^2 + ||Y (I - Pi)||^2
                 = ||P (Z - Y) Pi||^2 + ||(I - P) Y Pi||^2 + ||Y (I - Pi)||^2
                >= tr((I - P) Y Pi Y^T) + tr(Y (I - Pi) Y^T)
                 = tr(Y Y^T) - tr(P Y Pi Y^T).
   Used with Z = M X, Pi the projector onto the row space of X and P the
   projector onto the column space of M X. *)
Lemma dl_loss_lower (m dy : nat) (Pi : 'M[F]_m) (P : 'M[F]_dy) (Z Y : 'M[F]_(dy, m)) :
  is_orthproj Pi -> is_orthproj P -> Z *m Pi = Z -> P *m Z = Z ->
  \tr (Y *m Y^T) - \tr (P *m (Y *m Pi *m Y^T)) <= sqnorm (Z - Y).
Proof.
move=> Pip Pp ZPi PZ.
rewrite (sqnorm_split_r (Z - Y) Pip) (sqnorm_split_l ((Z - Y) *m Pi) Pp).
have e1 : (Z - Y) *m (1%:M - Pi) = - (Y *m (1%:M - Pi)).
  by rewrite mulmxBl !mulmxBr !mulmx1 ZPi subrr sub0r.
have e2 : (1%:M - P) *m ((Z - Y) *m Pi) = - ((1%:M - P) *m (Y *m Pi)).
  by rewrite (mulmxBl Z Y Pi) ZPi mulmxBr (mulmxBl 1%:M P Z) mul1mx PZ subrr sub0r.
rewrite e1 e2 !sqnormN (sqnorm_mull (Y *m Pi) (is_orthproj_compl Pp)).
rewrite (mulmx_orthproj_tr Y Pip) (sqnorm_mulr Y (is_orthproj_compl Pip)).
set S := Y *m Pi *m Y^T.
have -> : \tr ((1%:M - P) *m S) = \tr S - \tr (P *m S) by rewrite mulmxBl mul1mx mxtraceB.
have -> : \tr (Y *m (1%:M - Pi) *m Y^T) = \tr (Y *m Y^T) - \tr S.
  by rewrite mulmxBr mulmx1 mulmxBl mxtraceB.
rewrite -addrA; apply: ler_paddl; first exact: sqnorm_ge0.
by rewrite [_ + (_ - _)]addrC addrA subrK.
Qed.


(* v^T A A^T v = ||v^T A||^2 >= 0. *)
Local Lemma qform_gram (n k : nat) (A : 'M[F]_(n, k)) (v : 'cV[F]_n) :
  qform (A *m A^T) v = sqnorm (v^T *m A).
Proof. by rewrite /qform /sqnorm trmx_mul trmxK !mulmxA /mxtrace big_ord1. Qed.

(* B^T H B psd  ==>  P_V H P_V psd, where P_V = rowproj B^T = B (B^T B)^-1 B^T. *)
Local Lemma psd_proj_congr (n p : nat) (B : 'M[F]_(n, p)) (H : 'M[F]_n) :
  psd (B^T *m H *m B) -> psd (rowproj B^T *m H *m rowproj B^T).
Proof.
move=> Hpsd v; rewrite -{1}rowproj_tr qform_congr.
have -> : rowproj B^T *m v = B *m (invmx (B^T *m B^T^T) *m B^T *m v).
  by rewrite /rowproj trmxK !mulmxA.
by rewrite -qform_congr.
Qed.

(* Step (3), the separator bound. B (n x pb) and N (n x p2) have independent
   columns (from rule 2's [B N] of full rank), B^T N = 0 (from rule 2:
   B^T N = S^T C^T N), P_V + P_W = I (the columns of [B N] span everything),
   N^T Sigma B = 0 (rule 3), Sigma symmetric, and tau separates (rule 6).
   Then for every orthogonal projector P:
     tr(P Sigma) <= tr(P_V Sigma) + tau (tr P - pb). *)
Lemma kyfan_separator_bound (n pb p2 : nat) (B : 'M[F]_(n, pb)) (N : 'M[F]_(n, p2))
    (Sigma P : 'M[F]_n) (tau : F) :
  row_free B^T -> row_free N^T -> B^T *m N = 0 -> rowproj B^T + rowproj N^T = 1%:M ->
  N^T *m Sigma *m B = 0 -> Sigma^T = Sigma ->
  psd (B^T *m (Sigma - tau%:M) *m B) -> psd (N^T *m (tau%:M - Sigma) *m N) ->
  is_orthproj P ->
  \tr (P *m Sigma) <= \tr (rowproj B^T *m Sigma) + tau * (\tr P - pb%:R).
Proof.
move=> Bfree Nfree BN PVW NSB Ssym Bpsd Npsd Pp.
have NB : N^T *m B = 0 by rewrite -[B]trmxK -trmx_mul BN trmx0.
pose D := Sigma - tau%:M.
(* P_W P_V = 0, P_W Sigma P_V = 0 (rule 3) and their transposes. *)
have PWPV : rowproj N^T *m rowproj B^T = 0.
  by rewrite {1}/rowproj -mulmxA rowproj_ker ?mulmx0 // trmxK NB.
have PWSPV : rowproj N^T *m Sigma *m rowproj B^T = 0.
  have -> : rowproj N^T *m Sigma *m rowproj B^T = N^T^T *m invmx (N^T *m N^T^T) *m
      (N^T *m Sigma *m B^T^T) *m invmx (B^T *m B^T^T) *m B^T.
    by rewrite /rowproj !mulmxA.
  by rewrite !trmxK NSB mulmx0 !mul0mx.
have PVPW : rowproj B^T *m rowproj N^T = 0.
  by move: (congr1 trmx PWPV); rewrite trmx_mul !rowproj_tr trmx0.
have PVSPW : rowproj B^T *m Sigma *m rowproj N^T = 0.
  move: (congr1 trmx PWSPV); rewrite trmx_mul (trmx_mul (rowproj N^T)).
  by rewrite !rowproj_tr Ssym trmx0 mulmxA.
have c1 : rowproj N^T *m D *m rowproj B^T = 0.
  by rewrite /D mulmxBr mulmxBl PWSPV mul_mx_scalar -scalemxAl PWPV scaler0 subr0.
have c2 : rowproj B^T *m D *m rowproj N^T = 0.
  by rewrite /D mulmxBr mulmxBl PVSPW mul_mx_scalar -scalemxAl PVPW scaler0 subr0.
(* Sigma - tau I = P_V (Sigma - tau I) P_V + P_W (Sigma - tau I) P_W *)
have Dsplit : D = rowproj B^T *m D *m rowproj B^T + rowproj N^T *m D *m rowproj N^T.
  transitivity ((rowproj B^T + rowproj N^T) *m D *m (rowproj B^T + rowproj N^T)).
    by rewrite PVW mul1mx mulmx1.
  rewrite (mulmxDl (rowproj B^T) (rowproj N^T) D) (mulmxDl (rowproj B^T *m D)).
  rewrite (mulmxDr (rowproj B^T *m D)).
  by rewrite (mulmxDr (rowproj N^T *m D)) c1 c2 addr0 add0r.
(* Both pieces are PSD by rule 6; the trace identities then give the bound. *)
have A1psd : psd (rowproj B^T *m D *m rowproj B^T) by apply: psd_proj_congr.
have A2psd : psd (rowproj N^T *m (- D) *m rowproj N^T).
  by apply: psd_proj_congr; rewrite /D opprB.
have e1 : \tr (P *m D) = \tr (P *m Sigma) - tau * \tr P.
  by rewrite /D mulmxBr mul_mx_scalar mxtraceB mxtraceZ.
have e2 : \tr (rowproj B^T *m D *m rowproj B^T) = \tr (rowproj B^T *m Sigma) - tau * pb%:R.
  rewrite mxtrace_mulC mulmxA (rowproj_idem Bfree) /D mulmxBr mul_mx_scalar mxtraceB.
  by rewrite mxtraceZ rowproj_trace.
have h1 : \tr (P *m (rowproj B^T *m D *m rowproj B^T)) <=
          \tr (rowproj B^T *m D *m rowproj B^T).
  rewrite -subr_ge0; have := is_orthproj_trace_ge0 (is_orthproj_compl Pp) A1psd.
  by rewrite mulmxBl mul1mx mxtraceB.
have h2 : \tr (P *m (rowproj N^T *m D *m rowproj N^T)) <= 0.
  have := is_orthproj_trace_ge0 Pp A2psd.
  by rewrite mulmxN mulNmx mulmxN mxtraceN oppr_ge0.
have key : \tr (P *m Sigma) - tau * \tr P <= \tr (rowproj B^T *m Sigma) - tau * pb%:R.
  rewrite -e1 -e2 {1}Dsplit mulmxDr mxtraceD.
  by apply: le_trans (ler_add h1 h2) _; rewrite addr0.
apply: (le_trans (y := \tr (rowproj B^T *m Sigma) - tau * pb%:R + tau * \tr P)).
  by rewrite -ler_subl_addr.
by rewrite mulrBr addrA addrAC.
Qed.

(* Step (3), the Ky Fan-type trace inequality: for every orthogonal projector P
   of rank k <= q, tr(P Sigma) <= tr(P_V Sigma). If tau > 0 and k <= pb the
   separator bound is enough. Otherwise the separator 0 also satisfies rule 6:
   B^T Sigma B is PSD as Sigma is; N^T (0 - Sigma) N is PSD when tau <= 0
   (from N^T (tau I - Sigma) N PSD) or when Sigma N = 0, which rule 4 gives
   when k > pb (then pb < k <= q, so pb <> q). *)
Lemma kyfan_trace (n pb p2 q k : nat) (B : 'M[F]_(n, pb)) (N : 'M[F]_(n, p2))
    (Sigma P : 'M[F]_n) (tau : F) :
  row_free B^T -> row_free N^T -> B^T *m N = 0 -> rowproj B^T + rowproj N^T = 1%:M ->
  N^T *m Sigma *m B = 0 -> Sigma^T = Sigma -> psd Sigma ->
  pb = q \/ Sigma *m N = 0 ->
  psd (B^T *m (Sigma - tau%:M) *m B) -> psd (N^T *m (tau%:M - Sigma) *m N) ->
  is_orthproj P -> \tr P = k%:R -> (k <= q)%N ->
  \tr (P *m Sigma) <= \tr (rowproj B^T *m Sigma).
Proof.
move=> Bfree Nfree BN PVW NSB Ssym Spsd rule4 Bpsd Npsd Pp trP kq.
(* The separator 0 under "tau <= 0 or Sigma N = 0". *)
have bound0 : tau <= 0 \/ Sigma *m N = 0 -> \tr (P *m Sigma) <= \tr (rowproj B^T *m Sigma).
  move=> cond; rewrite -[X in _ <= X]addr0 -(mul0r (\tr P - pb%:R)).
  apply: (kyfan_separator_bound (N := N)) => // v.
    by rewrite qform_congr qformB qform_scalar mul0r subr0.
  rewrite qform_congr qformB qform_scalar mul0r sub0r.
  case: cond => [tle0 | SN].
    have := Npsd v; rewrite qform_congr qformB qform_scalar => h.
    apply: le_trans h _; rewrite -[X in _ <= X]add0r ler_add2r.
    by rewrite mulr_le0_ge0 ?sqnorm_ge0.
  have -> : qform Sigma (N *m v) = qform (N^T *m Sigma *m N) v by rewrite qform_congr.
  by rewrite -mulmxA SN mulmx0 qform0 oppr0.
case: (lerP tau 0) => [tle0 | tgt0]; first by apply: bound0; left.
case: (leqP k pb) => [kpb | pbk].
  apply: le_trans (kyfan_separator_bound Bfree Nfree BN PVW NSB Ssym Bpsd Npsd Pp) _.
  by rewrite ger_addl pmulr_rle0 // trP subr_le0 ler_nat.
apply: bound0; right; case: rule4 => // pbq.
by move: pbk; rewrite pbq ltnNge kq.
Qed.


(* The loss of the end-to-end matrix M: 1/2 tr((M X - Y)(M X - Y)^T). *)
Definition dl_loss (dx m dy : nat) (X : 'M[F]_(dx, m)) (Y : 'M[F]_(dy, m))
    (M : 'M[F]_(dy, dx)) : F :=
  \tr ((M *m X - Y) *m (M *m X - Y)^T) / 2.

(* The checker's rule: under rules 1-6, L is at most the loss of every
   end-to-end matrix of rank <= q (see the header for the hypothesis -> rule
   mapping). *)
Theorem global_min_rule (dx m dy d1 r pb q : nat)
    (X : 'M[F]_(dx, m)) (Y : 'M[F]_(dy, m)) (Rb : 'M[F]_(r, m)) (Sigma : 'M[F]_dy)
    (C : 'M[F]_(dy, d1)) (B : 'M[F]_(dy, pb)) (S : 'M[F]_(d1, pb))
    (N : 'M[F]_(dy, dy - pb)) (tau L : F) :
  row_free Rb -> (X <= Rb)%MS ->
  Sigma = (Rb *m Y^T)^T *m invmx (Rb *m Rb^T) *m (Rb *m Y^T) ->
  (pb <= dy)%N ->
  C *m S = B -> C^T *m N = 0 -> \rank (row_mx B N) = dy ->
  N^T *m Sigma *m B = 0 ->
  pb = q \/ Sigma *m N = 0 ->
  2 * L = \tr (Y *m Y^T) - \tr (invmx (B^T *m B) *m (B^T *m Sigma *m B)) ->
  psd (B^T *m (Sigma - tau%:M) *m B) -> psd (N^T *m (tau%:M - Sigma) *m N) ->
  forall M : 'M[F]_(dy, dx), (\rank M <= q)%N -> L <= dl_loss X Y M.
Proof.
move=> Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Bpsd Npsd M rkM.
(* Rule 1: Sigma = Y Pi Y^T with Pi the orthogonal projector onto the row
   space of Rb, symmetric and PSD. *)
pose Pi := rowproj Rb; have Pip : is_orthproj Pi := is_orthproj_rowproj Rfree.
have SigmaPi : Sigma = Y *m Pi *m Y^T.
  by rewrite SigmaE /Pi /rowproj trmx_mul trmxK !mulmxA.
have Ssym : Sigma^T = Sigma.
  by case: Pip => Pit _; rewrite SigmaPi trmx_mul (trmx_mul Y Pi) trmxK Pit mulmxA.
have Spsd : psd Sigma.
  by move=> v; rewrite SigmaPi -(mulmx_orthproj_tr Y Pip) qform_gram sqnorm_ge0.
(* Rule 2: B^T N = S^T C^T N = 0; [B N] of rank dy = pb + (dy - pb) means that
   its columns are independent (Tfree) and span F^dy (Tfull). *)
have BN : B^T *m N = 0 by rewrite -CSB trmx_mul -mulmxA CN mulmx0.
have NB : N^T *m B = 0 by rewrite -[B]trmxK -trmx_mul BN trmx0.
have rkT : \rank (col_mx B^T N^T) = dy by rewrite -tr_row_mx mxrank_tr.
have Tfree : row_free (col_mx B^T N^T) by rewrite /row_free rkT subnKC.
have Tfull : row_full (col_mx B^T N^T) by rewrite /row_full rkT.
have Bfree : row_free B^T.
  rewrite -kermx_eq0.
  have h : row_mx (kermx B^T) (0 : 'M[F]_(pb, dy - pb)) = 0.
    by apply: (row_free_mul0 Tfree); rewrite mul_row_col mulmx_ker mul0mx addr0.
  by move/eqP: h; rewrite row_mx_eq0 => /andP [].
have Nfree : row_free N^T.
  rewrite -kermx_eq0.
  have h : row_mx (0 : 'M[F]_(dy - pb, pb)) (kermx N^T) = 0.
    by apply: (row_free_mul0 Tfree); rewrite mul_row_col mulmx_ker mul0mx add0r.
  by move/eqP: h; rewrite row_mx_eq0 => /andP [].
(* P_V + P_W = I: (P_V + P_W) fixes the columns of B and of N, which span F^dy. *)
have PVW : rowproj B^T + rowproj N^T = 1%:M.
  case/row_fullP: Tfull => K KT.
  have e : col_mx B^T N^T *m (rowproj B^T + rowproj N^T) = col_mx B^T N^T.
    rewrite mul_col_mx !mulmxDr (rowproj_id Bfree) (rowproj_id Nfree).
    by rewrite (rowproj_ker (A := N^T)) ?(rowproj_ker (A := B^T)) ?addr0 ?add0r ?trmxK
               ?BN ?NB.
  by rewrite -[LHS]mul1mx -KT -mulmxA e.
(* Step (1): M X Pi = M X, since the rows of X lie in the row space of Rb. *)
have ZPi : M *m X *m Pi = M *m X by rewrite -mulmxA (rowproj_sub Rfree XR).
(* Step (2): P = the orthogonal projector onto the column space of M X,
   built from a basis U of the rows of (M X)^T; tr P = rank (M X) <= q. *)
pose U := row_base (M *m X)^T; have Ufree : row_free U := row_base_free _.
have PZ : rowproj U *m (M *m X) = M *m X.
  have h : (M *m X)^T *m rowproj U = (M *m X)^T.
    by apply: (rowproj_sub Ufree); rewrite eq_row_base.
  by move: (congr1 trmx h); rewrite trmx_mul !trmxK rowproj_tr.
have rkq : (\rank (M *m X)^T <= q)%N.
  by rewrite mxrank_tr (leq_trans (mxrankM_maxl M X)).
(* Step (3), with rule 3, rule 4 and rule 6. *)
have key := kyfan_trace Bfree Nfree BN PVW NSB Ssym Spsd rule4 Bpsd Npsd
  (is_orthproj_rowproj Ufree) (rowproj_trace Ufree) rkq.
have low := dl_loss_lower Y Pip (is_orthproj_rowproj Ufree) ZPi PZ.
rewrite -SigmaPi in low.
(* Step (4): tr(P_V Sigma) = tr((B^T B)^-1 B^T Sigma B), the trace of rule 5. *)
have trPV : \tr (rowproj B^T *m Sigma) = \tr (invmx (B^T *m B) *m (B^T *m Sigma *m B)).
  by rewrite /rowproj trmxK -!mulmxA [LHS]mxtrace_mulC !mulmxA.
rewrite /dl_loss ler_pdivl_mulr ?ltr0n // mulrC rule5 -trPV -/(sqnorm (M *m X - Y)).
by apply: le_trans low; apply: ler_sub.
Qed.


(* Every M = A A' that factors through an inner dimension k <= q. *)
Corollary global_min_factor (dx m dy d1 r pb q : nat)
    (X : 'M[F]_(dx, m)) (Y : 'M[F]_(dy, m)) (Rb : 'M[F]_(r, m)) (Sigma : 'M[F]_dy)
    (C : 'M[F]_(dy, d1)) (B : 'M[F]_(dy, pb)) (S : 'M[F]_(d1, pb))
    (N : 'M[F]_(dy, dy - pb)) (tau L : F) :
  row_free Rb -> (X <= Rb)%MS ->
  Sigma = (Rb *m Y^T)^T *m invmx (Rb *m Rb^T) *m (Rb *m Y^T) ->
  (pb <= dy)%N ->
  C *m S = B -> C^T *m N = 0 -> \rank (row_mx B N) = dy ->
  N^T *m Sigma *m B = 0 ->
  pb = q \/ Sigma *m N = 0 ->
  2 * L = \tr (Y *m Y^T) - \tr (invmx (B^T *m B) *m (B^T *m Sigma *m B)) ->
  psd (B^T *m (Sigma - tau%:M) *m B) -> psd (N^T *m (tau%:M - Sigma) *m N) ->
  forall (k : nat) (A : 'M[F]_(dy, k)) (A' : 'M[F]_(k, dx)),
    (k <= q)%N -> L <= dl_loss X Y (A *m A').
Proof.
move=> Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Bpsd Npsd k A A' kq.
apply: (global_min_rule Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Bpsd Npsd).
exact: leq_trans (mulmx_max_rank A A') kq.
Qed.

(* Weight tuples: mxchain m n is a product W(H+1) * ... * W1 of H+1 >= 1
   matrices, m x n overall, written outermost first:
     chain_cons W(H+1) (chain_cons WH ... (chain_one W1)).
   chain_width is the minimum of the row counts of the factors, i.e.
   min(dy, dH, ..., d1) = q, and depends on the shapes only. *)
Inductive mxchain : nat -> nat -> Type :=
| chain_one (m n : nat) of 'M[F]_(m, n) : mxchain m n
| chain_cons (m k n : nat) of 'M[F]_(m, k) & mxchain k n : mxchain m n.

Fixpoint chain_prod (m n : nat) (c : mxchain m n) : 'M[F]_(m, n) :=
  match c in mxchain m n return 'M[F]_(m, n) with
  | chain_one _ _ W => W
  | chain_cons _ _ _ W c' => W *m chain_prod c'
  end.

Fixpoint chain_width (m n : nat) (c : mxchain m n) : nat :=
  match c with
  | chain_one m' _ _ => m'
  | chain_cons m' _ _ _ c' => minn m' (chain_width c')
  end.

Lemma chain_rank (m n : nat) (c : mxchain m n) :
  (\rank (chain_prod c) <= chain_width c)%N.
Proof.
elim: c => [m' n' W | m' k' n' W c IH] /=; first exact: rank_leq_row.
rewrite leq_min (leq_trans (mxrankM_maxl _ _) (rank_leq_row _)).
exact: leq_trans (mxrankM_maxr _ _) IH.
Qed.


(* theta is a global minimum: rules 1-6 with q = chain_width theta (rule 1:
   q = min(d1, ..., dH, dy)) and L = the loss at theta (what the checker
   computes) give loss(theta) <= loss(c) for every weight tuple c whose
   minimum width is at most theta's, in particular for every c of the same
   shapes as theta. *)
Corollary global_min_weights (dx m dy d1 r pb : nat)
    (X : 'M[F]_(dx, m)) (Y : 'M[F]_(dy, m)) (Rb : 'M[F]_(r, m)) (Sigma : 'M[F]_dy)
    (C : 'M[F]_(dy, d1)) (B : 'M[F]_(dy, pb)) (S : 'M[F]_(d1, pb))
    (N : 'M[F]_(dy, dy - pb)) (tau : F) (theta : mxchain dy dx) :
  row_free Rb -> (X <= Rb)%MS ->
  Sigma = (Rb *m Y^T)^T *m invmx (Rb *m Rb^T) *m (Rb *m Y^T) ->
  (pb <= dy)%N ->
  C *m S = B -> C^T *m N = 0 -> \rank (row_mx B N) = dy ->
  N^T *m Sigma *m B = 0 ->
  pb = chain_width theta \/ Sigma *m N = 0 ->
  2 * dl_loss X Y (chain_prod theta) =
    \tr (Y *m Y^T) - \tr (invmx (B^T *m B) *m (B^T *m Sigma *m B)) ->
  psd (B^T *m (Sigma - tau%:M) *m B) -> psd (N^T *m (tau%:M - Sigma) *m N) ->
  forall c : mxchain dy dx, (chain_width c <= chain_width theta)%N ->
    dl_loss X Y (chain_prod theta) <= dl_loss X Y (chain_prod c).
Proof.
move=> Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Bpsd Npsd c cw.
apply: (global_min_rule Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Bpsd Npsd).
exact: leq_trans (chain_rank c) cw.
Qed.

(* The same rule with rule 6 stated as the two LDL certificates the checker
   verifies (LmoLDL, ldl_certificate_psd): P^T H P = L diag(d) L^T with
   P a permutation matrix, L unit lower triangular and d >= 0 (d > 0 in the
   strict case implies this). *)
Theorem global_min_rule_ldl (dx m dy d1 r pb q : nat)
    (X : 'M[F]_(dx, m)) (Y : 'M[F]_(dy, m)) (Rb : 'M[F]_(r, m)) (Sigma : 'M[F]_dy)
    (C : 'M[F]_(dy, d1)) (B : 'M[F]_(dy, pb)) (S : 'M[F]_(d1, pb))
    (N : 'M[F]_(dy, dy - pb)) (tau L : F)
    (Lb : 'M[F]_pb) (sb : 'S_pb) (db : 'rV[F]_pb)
    (Ln : 'M[F]_(dy - pb)) (sn : 'S_(dy - pb)) (dn : 'rV[F]_(dy - pb)) :
  row_free Rb -> (X <= Rb)%MS ->
  Sigma = (Rb *m Y^T)^T *m invmx (Rb *m Rb^T) *m (Rb *m Y^T) ->
  (pb <= dy)%N ->
  C *m S = B -> C^T *m N = 0 -> \rank (row_mx B N) = dy ->
  N^T *m Sigma *m B = 0 ->
  pb = q \/ Sigma *m N = 0 ->
  2 * L = \tr (Y *m Y^T) - \tr (invmx (B^T *m B) *m (B^T *m Sigma *m B)) ->
  unit_lower_triangular Lb -> (forall i, 0 <= db 0 i) ->
  (perm_mx sb)^T *m (B^T *m (Sigma - tau%:M) *m B) *m perm_mx sb =
    Lb *m diag_mx db *m Lb^T ->
  unit_lower_triangular Ln -> (forall i, 0 <= dn 0 i) ->
  (perm_mx sn)^T *m (N^T *m (tau%:M - Sigma) *m N) *m perm_mx sn =
    Ln *m diag_mx dn *m Ln^T ->
  forall M : 'M[F]_(dy, dx), (\rank M <= q)%N -> L <= dl_loss X Y M.
Proof.
move=> Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5 Lbt db0 ldlb Lnt dn0 ldln.
apply: (global_min_rule Rfree XR SigmaE pbdy CSB CN rkBN NSB rule4 rule5).
  exact: ldl_certificate_psd Lbt db0 ldlb.
exact: ldl_certificate_psd Lnt dn0 ldln.
Qed.

End GlobalMin.

(* Non-vacuity: the hypotheses of global_min_rule are met by an actual
   certificate. X = Y = I_2, one hidden unit (q = 1), B = e1, N = e2, C = B,
   S = 1, tau = 1, L = 1/2: every M of rank <= 1 has
   1/2 ||M - I_2||^2 >= 1/2 (Eckart-Young for I_2). *)
Example global_min_rule_example (M : 'M[rat]_2) :
  (\rank M <= 1)%N -> 2^-1 <= dl_loss 1%:M 1%:M M.
Proof.
move=> rkM.
pose B : 'M[rat]_(2, 1) := delta_mx 0 0.
pose N : 'M[rat]_(2, 2 - 1) := delta_mx 1 0.
have BtB : B^T *m B = 1%:M.
  by rewrite /B trmx_delta mul_delta_mx; apply/matrixP => i j; rewrite !ord1 !mxE.
have BtN : B^T *m N = 0 by rewrite /B /N trmx_delta mul_delta_mx_0.
have NtB : N^T *m B = 0 by rewrite /B /N trmx_delta mul_delta_mx_0.
have BN1 : row_mx B N = 1%:M.
  apply/matrixP => i j; rewrite !mxE; case: splitP => k /= jk; rewrite !mxE;
  by move: i j k jk => [[|[|?]] ?] [[|[|?]] ?] [[|?] ?].
have SigmaE : (1%:M *m (1%:M : 'M[rat]_2)^T)^T *m invmx (1%:M *m (1%:M : 'M[rat]_2)^T)
    *m (1%:M *m (1%:M : 'M[rat]_2)^T) = 1%:M.
  by rewrite !(trmx1, mulmx1, invmx1).
apply: (@global_min_rule _ 2 2 2 1 2 1 1 1%:M 1%:M 1%:M
          ((1%:M *m 1%:M^T)^T *m invmx (1%:M *m 1%:M^T) *m (1%:M *m 1%:M^T))
          B B 1%:M N 1 2^-1).
- by rewrite row_free_unit unitmx1.         (* rule 1: Rb = I_2 *)
- exact: submx_refl.
- by [].                                    (* rule 1: Sigma, by definition *)
- by [].                                    (* rule 1: pb = 1 <= 2 = dy *)
- by rewrite mulmx1.                        (* rule 2: C S = B *)
- exact: BtN.                               (* rule 2: C^T N = 0 *)
- by rewrite BN1 mxrank1.                   (* rule 2: [B N] = I_2 *)
- by rewrite SigmaE mulmx1 NtB.             (* rule 3 *)
- by left.                                  (* rule 4: pb = q = 1 *)
- rewrite SigmaE mulmx1 BtB invmx1 trmx1 !mulmx1 !mxtrace1 mulfV; last by []. (* rule 5 *)
  by rewrite -[2%:R]/(1 + 1 : rat) addrK.
- move=> v; rewrite SigmaE subrr mulmx0 mul0mx.  (* rule 6: both matrices are 0 *)
  by rewrite /qform mulmx0 mul0mx mxE.
- move=> v; rewrite SigmaE subrr mulmx0 mul0mx.
  by rewrite /qform mulmx0 mul0mx mxE.
- exact: rkM.
Qed.
