#!/bin/sh
# lmo experiment: usage errors, the quick sc-fig61 run (columns, byte-identical rerun, a
# shard's rows are the unsharded rows i mod N = K-1), its exact columns recomputed apart
# (experiment_crosscheck.py, Python fractions), and the quick sc-fig62 verdict.
# Without Fashion-MNIST (Debian package dataset-fashion-mnist) the test is skipped (77).
. "$(dirname "$0")/lib.sh"
FM=${LMO_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$FM/train-images-idx3-ubyte.gz" ]; then echo "SKIP: no Fashion-MNIST in $FM"; exit 77; fi

expect_exit 2 "$LMO_BIN" experiment nope --out "$T/x"; expect_err 'unknown experiment "nope"'; expect_err "sc-fig61"
expect_exit 2 "$LMO_BIN" experiment sc-fig61; expect_err "--out DIR is required"
expect_exit 2 "$LMO_BIN" experiment sc-fig61 --out "$T/x" --shard 3/2; expect_err "--shard"
expect_exit 2 "$LMO_BIN" experiment sc-fig61 --out "$T/x" --policy numpy; expect_err "no option --policy"
LMO_FASHION_MNIST_DIR=$T/none expect_exit 2 "$LMO_BIN" experiment sc-fig61 --quick --out "$T/x"
expect_err "$T/none/train-images-idx3-ubyte.gz: Fashion-MNIST not available"; one_line_err
expect_exit 0 "$LMO_BIN" experiment sc-fig61 --help; expect_out "--shard K/N"

expect_exit 0 "$LMO_BIN" experiment sc-fig61 --quick --dump-weights --out "$T/a"
expect_out "run 59: fashion-mnist, 2 hidden, d = 9, N = 324"
head -1 "$T/a/sc-fig61.csv" >"$T/header"
if [ "$(cat "$T/header")" = "run,dataset,hidden_layers,d,N,d2_over_N,rep,run_seed,epochs,mce,mse,min_abs_u,mce_exact,mse_exact,min_abs_u_exact,differentiable,zero_preactivations,rank_G,rows_G,full_rank,full_column_rank" ]; then ok; else fail "header: $(cat "$T/header")"; fi
n=$(wc -l <"$T/a/sc-fig61.csv"); if [ "$n" -eq 61 ]; then ok; else fail "sc-fig61.csv has $n lines, want 61"; fi
for f in sc-fig61-summary.csv sc-fig61.gp; do if [ -s "$T/a/$f" ]; then ok; else fail "no $f"; fi; done
if command -v gnuplot >/dev/null 2>&1; then
    if [ -s "$T/a/sc-fig61.png" ]; then ok; else fail "gnuplot is there but no sc-fig61.png"; fi
fi
# the dumped final points are mnn vectors lmo reads
expect_exit 0 "$LMO_BIN" mnn --quiet "$T/a/sc-fig61-runs/run-0000.json"

expect_exit 0 "$LMO_BIN" experiment sc-fig61 --quick --quiet --out "$T/b"
if cmp -s "$T/a/sc-fig61.csv" "$T/b/sc-fig61.csv"; then ok; else fail "a rerun wrote another sc-fig61.csv"; fi
if cmp -s "$T/a/sc-fig61-summary.csv" "$T/b/sc-fig61-summary.csv"; then ok; else fail "a rerun wrote another summary"; fi
expect_exit 0 "$LMO_BIN" experiment sc-fig61 --quick --quiet --shard 2/7 --out "$T/s"
awk -F, 'NR == 1 || $1 % 7 == 1' "$T/a/sc-fig61.csv" >"$T/want-shard"
if cmp -s "$T/want-shard" "$T/s/sc-fig61.csv"; then ok; else fail "shard 2/7 rows are not the unsharded rows i mod 7 = 1"; fi
if [ ! -e "$T/s/sc-fig61.png" ]; then ok; else fail "a shard drew a PNG"; fi
# a partial naming the experiment is refused by lmo merge, not silently run again in full
printf '{"format": "lmo-partial/1", "command": "experiment", "args": ["sc-fig61", "--quick", "--out", "%s"], "shard": {"k": 1, "n": 1}, "inputs": []}\n' "$T/m" >"$T/exp-partial.json"
expect_exit 2 "$LMO_BIN" merge "$T/exp-partial.json"; expect_err "not merged by lmo merge"
if [ ! -e "$T/m/sc-fig61.csv" ]; then ok; else fail "lmo merge ran the experiment"; fi

if "$LMO_PYTHON" "$LMO_SRC/tests/cli/experiment_crosscheck.py" "$T/a" >"$T/out" 2>"$T/err"; then ok
else fail "experiment_crosscheck.py: $(cat "$T/out" "$T/err" | tail -5)"; fi
cat "$T/out"

expect_exit 0 "$LMO_BIN" experiment sc-fig62 --quick --out "$T/c"
expect_out "rank G_1 = "; expect_out "Soudry–Carmon Theorem 4: "; expect_out "differentiable: "
expect_exit 0 "$LMO_BIN" mnn "$T/c/sc-fig62-point.json"; expect_out "Soudry–Carmon Theorem 4: "
n=$(awk -F, 'NR > 1' "$T/c/sc-fig62.csv" | wc -l); if [ "$n" -gt 100 ]; then ok; else fail "sc-fig62.csv has $n rows"; fi
if "$LMO_PYTHON" -c 'import json,sys
e = json.load(open(sys.argv[1]))["exact"]
t = [t for t in e["theorems"] if t["statement"].endswith("Theorem 4")]
assert len(t) == 1 and t[0]["outcome"] in ("holds", "not_applicable", "exceptional", "undecided"), t
assert isinstance(e["loss"], (str, int)) and e["differentiable"] in (True, False), e["loss"]
print("sc-fig62 exact:", "rank G", e["rank_G"], "Theorem 4", t[0]["outcome"])' "$T/c/sc-fig62-verdict.json"; then ok; else fail "sc-fig62-verdict.json"; fi
finish
