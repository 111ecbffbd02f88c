/* The --help text of each lmo command (cli/lmo.c's table points here). */
#include "commands.h"

#define JSON_LINE                                                                            \
    "  --json           one JSON object per input on stdout (vectors/schema/lmo-output-1.\n" \
    "                   schema.json): id, file, kind, the verdict members as in expect,\n" \
    "                   report, info, and the comparison with the vector's expect\n"
#define CAPS_LINE "  --max-entries N, --max-bits N, --max-dim N: input caps (exit 3 beyond)\n"
#define COMMON_LINES                                                                         \
    "  --seed S         seed of the random primes (the answer never depends on it, only the\n" \
    "                   certificate's primes do)\n"                                          \
    "  --quiet          print nothing but errors\n" CAPS_LINE                                \
    "  --help, --version\n"

const char LMO_USAGE_RANK[] =
    "usage: lmo rank [options] FILE...\n"
    "\n"
    "Exact rank of each vector of kind matrix_rank (input.M) or khatri_rao_rank (G = A o X,\n"
    "Soudry-Carmon (4.4)), with its certificate: a minor non-zero mod p (rank >= r) and\n"
    "n - r exact kernel vectors in echelon form (rank <= r). FILE may be - for stdin.\n"
    "\n"
    "options:\n" JSON_LINE
    "  --cert FILE      write the certificate (lmo-cert/1) to FILE; with several inputs FILE\n"
    "                   is a directory and gets ID.cert.json per input\n" COMMON_LINES
    "\n"
    "exit: 0 done (and equal to expect when present), 1 differs from expect, 2 bad input or\n"
    "usage, 3 limit or internal error.\n";

const char LMO_USAGE_COMPARE[] =
    "usage: lmo compare [options] FILE...\n"
    "\n"
    "Exact tier against fast tier, for every kind: the exact verdict beside what double-\n"
    "precision LAPACK code decides under each policy, and for each disagreement which value\n"
    "sits how far from which threshold (for ranks also whether the tolerance or rounding\n"
    "moved it, from the certified singular values). The doubles are the correctly rounded\n"
    "values of the exact inputs (MPFR).\n"
    "\n"
    "options:\n"
    "  --policy P       numpy   (gesdd; sigma_i > sigma_max*max(m,n)*eps, eps=2^-52)\n"
    "                   qrcp    (geqp3; |R_ii| > |R_11|*max(m,n)*eps)\n"
    "                   abs:T   (gesdd; sigma_i > T)\n"
    "                   rel:R   (gesdd; sigma_i > R*sigma_max)\n"
    "                   for definiteness: eigenvalues by dsyevd, |lambda| <= max|lambda| n eps\n"
    "                   (numpy, qrcp), <= T (abs), <= R max|lambda| (rel) counts as zero;\n"
    "                   repeatable; default: numpy and qrcp\n" JSON_LINE
    "                   and \"fast\": per policy its decision, the doubles behind it (exact\n"
    "                   hex-float strings), agree, and each disagreement explained\n"
    "  --cert FILE      write the exact verdict's certificate (as for lmo rank)\n" COMMON_LINES
    "\n"
    "exit: 0 every policy agrees with the exact verdict, 1 some policy disagrees, 2 bad input\n"
    "or usage, 3 limit or internal error.\n";

const char LMO_USAGE_MNN[] =
    "usage: lmo mnn [options] FILE...\n"
    "\n"
    "The multilayer network of Soudry & Carmon (2016) for each vector of kind mnn, in exact\n"
    "rational arithmetic: forward pass (3.1) with leaky-ReLU slope s and dropout E_l, error\n"
    "and MSE (3.2), whether the point is differentiable (and the zero pre-activations if\n"
    "not), Delta_l and G_l = Delta_l o V_{l-1} (5.4) with certified ranks, the gradient (5.1)\n"
    "and whether it is 0, the Hessian computed twice (loss polynomial vs (5.6)-(5.7)), Lemma\n"
    "1's minimiser of (4.2) under the weights' pattern (L = 2), and the predictions of Lemma\n"
    "1, Lemma 3, Theorem 4 (L = 2) and Theorem 5 (L >= 3). FILE may be - for stdin.\n"
    "\n"
    "Each statement ends in an outcome (holds, exceptional, not_applicable, violated; DESIGN.md).\n"
    "A differentiable point that is not critical gets a near-critical report (gradient norm,\n"
    "certified Hessian eigenvalue enclosures against the exact inertia, verdict).\n"
    "\n"
    "With --corollary6 (L >= 3): Corollary 6 instead. W_1..W_{L-2} move by exact uniform noise\n"
    "of size <= 1023/2^40 (from --seed) and are held fixed; every activation pattern p of layer\n"
    "L-1 (all of them when d_{L-1} N <= 24, else those W_{L-1} can produce) must give\n"
    "G^p_{L-1} = A^p_{L-1} o V_{L-2} of rank N, so that every DLM in (W_{L-1}, W_L) has MSE 0.\n"
    "That is Lemma 3's computation on (V_{L-2}, E_{L-1}): an mnn_patterns vector ID-corollary6\n"
    "is made and run as lmo patterns runs it (its certificate is a bundle lmo-check verifies).\n"
    "\n"
    "options:\n" JSON_LINE
    "  --cert FILE      write all rank certificates (one lmo-cert/1 bundle)\n"
    "  --corollary6     check Corollary 6 (above)\n"
    "  --out DIR        with --corollary6: write the derived vector, blessed, to DIR/ID-corollary6.json\n"
    COMMON_LINES
    "\n"
    "exit: 0 no statement is violated (and the result matches expect when present), 1 a\n"
    "statement is violated, the two Hessians differ, or a mismatch with expect; 2 bad input\n"
    "or usage; 3 limit or internal error.\n";

const char LMO_USAGE_PATTERNS[] =
    "usage: lmo patterns [options] FILE...\n"
    "\n"
    "Lemma 3 of Soudry & Carmon (2016) for each vector of kind mnn_patterns: the exact rank of\n"
    "G1^p = A1^p o X (4.4) for the activation patterns p of the mode:\n"
    "  exhaustive  all 2^(N*d1) patterns (N*d1 <= 24)\n"
    "  sampled     `count` patterns drawn with `seed`\n"
    "  realizable  the patterns differentiable weights produce: per unit the cells of the\n"
    "              arrangement {w : w.x^(n) = 0}, combined over the d1 units\n"
    "Every deficient pattern gets an exact certificate (minor mod p, kernel vectors); the first\n"
    "--list of them are printed. Prediction: with N <= d0*d1 and non-trivial dropout E1 (no\n"
    "zero entry, rank >= 2) every pattern has rank N; with E1 = 1 (plain leaky ReLU) the\n"
    "theorem claims nothing and deficient patterns are listed. FILE may be - for stdin.\n"
    "\n"
    "options:\n"
    "  --list K         print at most K deficient patterns (default 64; the JSON verdict\n"
    "                   lists the first 64, as a vector's expect does)\n" JSON_LINE
    "  --cert FILE      write the listed patterns' certificates (one lmo-cert/1 bundle)\n"
    "  --shard K/N      do only shard K of N (1 <= K <= N) of each input's patterns: the K-th\n"
    "                   of N contiguous blocks of the mode's sequence (sizes differ by at most\n"
    "                   one), printed as one JSON partial on stdout; lmo merge of the N\n"
    "                   partials prints exactly what the run without --shard prints (text or\n"
    "                   --json, --cert written) and exits as it does\n"
    COMMON_LINES
    "\n"
    "exit: 0 the prediction holds or does not apply (and the result matches expect when\n"
    "present), 1 Lemma 3's prediction fails or a mismatch with expect, 2 bad input or usage,\n"
    "3 limit (e.g. exhaustive beyond N*d1 = 24) or internal error.\n";

const char LMO_USAGE_CLASSIFY[] =
    "usage: lmo classify [options] FILE...\n"
    "\n"
    "Exact classification of the point of each deep_linear vector (Kawaguchi 2016): the\n"
    "hypotheses of Theorem 2.3, loss and gradient (Lemma 4.1), the Hessian by the block\n"
    "formulas of Lemma 4.3 and its exact inertia (LDL^T over Q), the global minimum value and\n"
    "whether the point attains it (a rational separator tau of Sigma's eigenvalues on\n"
    "range(C) and off it), the class (not_critical, global_min, strict_saddle, bad_saddle,\n"
    "local_min_not_global, local_max, unknown), rank(WH...W2) against p, and one outcome\n"
    "(holds, violated, not_applicable, undecided) with its reason for each of Theorem 2.3\n"
    "(i)-(iv), Corollaries 2.4 and 3.2 and Lemmas 4.4-4.6, in the report. Saddles come with\n"
    "an escape curve along which the loss decreases -- for a Hessian >= 0 built from the\n"
    "proof of Theorem 2.3 (ii), Case III -- verified exactly in Q[t]. FILE may be - for stdin.\n"
    "\n"
    "A point that is not critical (trained in float) gets a near-critical report: |grad|^2\n"
    "exactly, certified enclosures of the Hessian's eigenvalues counted negative / positive /\n"
    "undecided (never contradicting the exact inertia), loss - L*, a verdict, and the float\n"
    "tier's view of the same point (report.near_critical, info.near_critical_float).\n"
    "\n"
    "options:\n" JSON_LINE
    "  --cert FILE      write the certificate (lmo-cert/1, claim deep_linear); with several\n"
    "                   inputs FILE is a directory (ID.cert.json per input)\n" COMMON_LINES
    "                   (the n x n Hessian counts against --max-entries)\n"
    "\n"
    "exit: 0 classified, no statement violated (and equal to expect when present); 1 a\n"
    "statement violated or a mismatch with expect; 2 bad input or usage; 3 limit or internal\n"
    "error.\n";

const char LMO_USAGE_KHK[] =
    "usage: lmo khk [options] FILE...\n"
    "\n"
    "Exact check of Kawaguchi, Huang & Kaelbling (2019), Theorem 1, on each khk vector (X m x\n"
    "dx and Y m x dy, rows are samples; weights W(l) of size d(l-1) x dl; activations relu,\n"
    "abs, leaky:A with A <= 1): the forward pass and activation patterns Lambda (0 at a kink),\n"
    "whether the point is differentiable (else the first unit and sample with pre-activation\n"
    "0), the exact gradient and criticality, L = 1/2 ||Yhat - Y||_F^2 (2.1), and J of (4.2)\n"
    "with N_k(l) = P_N[Qbar_(k-1)(l)] by exact projections. Reports Theorem 1 (L = J at a\n"
    "differentiable critical point; J <= L everywhere), Lemma 1 (vec Yhat = D(l) vec W(l)),\n"
    "Lemma 3 (the sum of (4.2) = the direct projection of Appendix C) and, for H = 1, dy = 1,\n"
    "Proposition 1 computed independently by Gram-Schmidt, and Definition 1's largest family of\n"
    "weakly separated linear units with n_max(t). For H = 1, Proposition 2 / Lemma 6: the\n"
    "certified rank of Dtilde = [Lambda(1,1) X ... Lambda(1,d) X] (B.2) against min(m, d dx),\n"
    "the Lambda condition (delta > 0) and Rado's generic rank (verdict member prop2). At a\n"
    "differentiable critical point, Section 5 (verdict member thm2): local minimality certified\n"
    "when L equals the least loss of the activation pattern's region, Definition 2's strongly\n"
    "separated units by exhaustive search, and Theorem 2, Corollaries 1 and 2 (both sides of\n"
    "(5.1), (5.2) for every subsequence S). No certificate yet; the double twin\n"
    "(lmo_fast/khk.h, Appendix C's J, the float rank of\n"
    "Dtilde) runs under lmo compare. FILE may be - for stdin.\n"
    "\n"
    "options:\n" JSON_LINE
    "  --quiet          print nothing but errors\n" CAPS_LINE
    "  --help, --version\n"
    "\n"
    "exit: 0 no statement violated (and equal to expect when present); 1 a statement\n"
    "violated or a mismatch with expect; 2 bad input or usage; 3 limit or internal error.\n";

const char LMO_USAGE_WITNESS[] =
    "usage: lmo witness --widths d0,d1,...,dL --n N [options]\n"
    "       lmo witness [options] FILE...                  (vectors of kind witness)\n"
    "       lmo witness --generic-table [--max-width K] [--max-layers L] [--out FILE]\n"
    "\n"
    "The witness of Soudry & Carmon (2016), Theorem 5, appendix B: Lemma 8 needs one point\n"
    "where G_{L-1} has rank N. lmo builds the point of (B.3)-(B.5) exactly (Fact 2's X' =\n"
    "[1_{1 x d1} (x) I_{d0}]_{1..N} when L = 2): X' = 1, W'_l = [1, 0, ..., 0] columns for\n"
    "l <= L-2, activations A'_l = 1 for l < L-2, A'_{L-2} = [1_{1 x d_{L-1}} (x)\n"
    "I_{d_{L-2}}]_{1..N}, A'_{L-1} = [I_{d_{L-1}} (x) 1_{1 x d_{L-2}}]_{1..N}, realised as\n"
    "dropout with every pre-activation > 0 and W'_{L-1}, W'_L all ones; runs the exact\n"
    "forward pass; forms G'_{L-1} = Delta_{L-1} o V_{L-2} (5.2), (5.4); checks G'_{L-1} =\n"
    "[I_{d_{L-2} d_{L-1}}]_{1..N} (B.6) and its certified rank N. N > d_{L-2} d_{L-1} has no\n"
    "witness (exit 2). The construction is deterministic: a failure is reported as\n"
    "\"Soudry-Carmon (B.3)-(B.6)\" (\"Fact 2\" for L = 2) VIOLATED, exit 1.\n"
    "\n"
    "options:\n"
    "  --widths LIST    d0,...,dL: every width >= 1, dL = 1, L >= 2\n"
    "  --n N            number of samples, 1 <= N <= d_{L-2} d_{L-1}\n" JSON_LINE
    "                   (info: widths, N, holds, generic)\n"
    "  --cert FILE      write the witness certificate (lmo-cert/1, claim \"witness\"); a\n"
    "                   directory with several FILE inputs\n"
    "  --policy P       also decide (B.6) and the rank in double under policy P (repeatable;\n"
    "                   exit 1 on a disagreement)\n"
    "  --generic        also what Lemma 8 concludes: a random rational point (X, E_1..E_{L-1},\n"
    "                   W_1..W_L of random sign, drawn from --seed) with the same widths and N,\n"
    "                   and the certified rank of its G_{L-1}: Lemma 8 holds, or is\n"
    "                   exceptional (rank below N: the point lies in the null set; exit 0)\n" COMMON_LINES
    "\n"
    "generic-rank table (CSV on stdout, or --out FILE written atomically):\n"
    "  --generic-table  for every width list d0..dL (2 <= L <= --max-layers, widths in\n"
    "                   1..--max-width, dL = 1; defaults 3 and 4), every N in 1..d_{L-2}\n"
    "                   d_{L-1} and each dropout case: (i) E_l random in every layer, (ii)\n"
    "                   E_1..E_{L-3} = 1, (iii) E_1..E_{L-2} = 1. Columns: widths\n"
    "                   (d0-d1-...-dL), L, N, case, threshold (the paper's: N <= threshold\n"
    "                   gives rank N; d_{L-2} d_{L-1} in (i), (ii), d_{L-1} min_{l<=L-2} d_l in\n"
    "                   (iii)), bound = min(N, threshold), rank_active (exact rank at random\n"
    "                   all-active points: a proven lower bound of that pattern's generic\n"
    "                   rank), upper_active (its upper bound by dimension counting),\n"
    "                   rank_random (exact rank at a random point of random sign), rows\n"
    "                   (d_{L-2} d_{L-1}), status (tight: every rank = bound;\n"
    "                   beyond_lemma8: rank_random > bound, a generic rank above what\n"
    "                   Lemma 8's witness proves -- the paper's bound is sufficient, not\n"
    "                   necessary; below: a rank under the bound, never expected).\n"
    "                   scripts/witness-plot turns the CSV into a PNG.\n"
    "  --max-width K, --max-layers L, --out FILE\n"
    "  --shard K/N      only shard K of N of the table's items (width list, case), printed\n"
    "                   as one JSON partial; lmo merge of the N partials prints (or writes\n"
    "                   to --out) exactly the unsharded table\n"
    "\n"
    "exit: 0 the witness is verified (and matches expect when present; table: no row below\n"
    "its bound), 1 it is not, 2 bad input or usage, 3 limit or internal error.\n";

const char LMO_USAGE_BLESS[] =
    "usage: lmo bless [options] FILE...\n"
    "\n"
    "Fill expect (the exact verdict: every member is certified by the certificate and\n"
    "verified by lmo-check), report (lmo's further findings: theorem outcomes, notes; not\n"
    "certified), fast (each policy's decision), flags and certificate of each vector, computed\n"
    "by the tiers themselves. The input is kept; the file is rewritten canonically and\n"
    "atomically (temp file + rename).\n"
    "\n"
    "options:\n"
    "  --out DIR        write DIR/ID.json instead of rewriting FILE\n"
    "  --policy P       policies to record in fast (repeatable; default numpy, qrcp,\n"
    "                   abs:1e-10)\n" COMMON_LINES
    "\n"
    "exit: 0 done, 2 bad input, 3 limit or internal error.\n";

const char LMO_USAGE_CHECK[] =
    "usage: lmo check [options] FILE...\n"
    "\n"
    "Replay vectors: recompute the exact verdict and compare it with expect and report,\n"
    "verify the stored certificate with lmo-check ($LMO_CHECK, else the lmo-check next to\n"
    "lmo), and recompute every stored fast decision. Statuses: ok, expect_mismatch,\n"
    "cert_rejected, float_changed (the exact verdict still holds, but this machine's float\n"
    "code decides differently than when the vector was made).\n"
    "\n"
    "options:\n"
    "  --json           one JSON object per vector: id, file, kind, status, problems\n"
    COMMON_LINES
    "\n"
    "exit: 0 every vector ok, 1 some vector failed, 2 bad input, 3 limit or internal error\n"
    "(e.g. lmo-check not found).\n";

const char LMO_USAGE_GEN_HEAD[] =
    "usage: lmo gen FAMILY --seed S --count K --out DIR [--policy P ...] [--shard K/N]\n"
    "\n"
    "Deterministic vector generation: the same arguments give byte-identical files on every\n"
    "machine (PRNG xoshiro256** seeded from family, seed and index; no libc rand, no time).\n"
    "Each vector DIR/FAMILY-sS-I.json is blessed: expect, report, fast, flags and certificate\n"
    "are computed by the tiers. --shard K/N makes only shard K of N of the vectors and prints\n"
    "them as one JSON partial (no file written); lmo merge of the N partials writes exactly\n"
    "the files of the unsharded run.\n"
    "\n"
    "families:\n";

const char LMO_USAGE_NH[] =
    "usage: lmo nh [options] FILE...\n"
    "\n"
    "The network of Nguyen & Hein (2017) for each vector of kind nguyen_hein (rows are\n"
    "samples; every layer applies sigma, F_L = sigma(G_L); Phi (1) with l(a) = a^2), from its\n"
    "exact rational parameters in arb ball arithmetic: rank [X, 1_N] exactly over Q; rank\n"
    "[F_k, 1_N] certified -- a minor proven non-singular in balls (located in double, then\n"
    "||R M - I|| < 1 for an approximate inverse R, else a ball determinant excluding 0: the\n"
    "lower bound) and a bound from exact structure (distinct rows of X W_1 + 1 b_1^T, for\n"
    "tanh with b_l = 0 above layer 1 opposite rows, distinct non-constant units), stated only\n"
    "when they meet, else `undecided at precision P'; the precision grows 64, 128, ... up to\n"
    "$LMO_NH_MAX_PREC bits (default 4096); rank W_l exactly for l in [k+2, L]; an enclosure\n"
    "of Phi; and the outcomes of Lemma 4.4 and, for input.construction, Lemma 4.3 (holds,\n"
    "exceptional, not_applicable, undecided) in the report; Theorem 5.3 (parts 1 and 2,\n"
    "input.loss \"squared_hinge\": (4) with l_1, l_2): linear separability of the rows of F_k\n"
    "and X located by GLPK's simplex (its exact simplex as a fallback) and proven in FLINT\n"
    "(margins > 0, or Gordan's y exactly) or in balls (F_k); Theorem 3.8 and Corollary 3.9:\n"
    "the block Hessian over (W_l, b_l), l in I containing k+1, in balls (hyper-dual forward\n"
    "passes), non-degenerate when a ball LDL^T's pivots exclude 0 (info.hessian_upper: I =\n"
    "[k+1, L]). k is input.k, else the first hidden layer with n_k >= N - 1, else the widest.\n"
    "No certificate for lmo-check yet.\n"
    "\n"
    "options:\n" JSON_LINE
    "                   (info.F_k: the enclosures of F_k, 40 digits)\n"
    "  --policy P       also the float rank of [X, 1_N] and [F_k, 1_N] under P (numpy, qrcp,\n"
    "                   abs:T, rel:R; repeatable), each disagreement explained\n"
    "  --cert FILE      accepted; writes nothing for this kind yet\n" COMMON_LINES
    "\n"
    "exit: 0 done (and equal to expect when present, no float disagreement under --policy);\n"
    "1 a mismatch with expect, a float disagreement or lmo contradicting itself; 2 bad input\n"
    "or usage; 3 limit or internal error.\n";

const char LMO_USAGE_MERGE[] =
    "usage: lmo merge PARTIAL...\n"
    "\n"
    "Put together the partial results that the N runs of a sweep with --shard 1/N .. N/N\n"
    "printed (lmo patterns): prints exactly what the sweep prints without --shard, text or\n"
    "--json as the partials were made, and exits with its exit code. Shard K of N does the\n"
    "K-th of N contiguous blocks of the sweep's items, a block that depends only on the\n"
    "arguments, K and N; a partial records the command, its arguments, K, N and its items.\n"
    "Refused (exit 2, one line): partials of different commands or arguments, a shard missing\n"
    "or given twice, partials with different N, blocks that do not tile the items.\n"
    "The input vectors are read from the partials, not from their files again.\n"
    "\n"
    "  lmo patterns v.json --json --shard 1/2 > p1.json\n"
    "  lmo patterns v.json --json --shard 2/2 > p2.json\n"
    "  lmo merge p1.json p2.json          # = lmo patterns v.json --json\n"
    "\n"
    "exit: that of the unsharded command; 2 bad partials; 3 shards that used different primes\n"
    "(an unlucky prime met by one shard: run it unsharded).\n";
