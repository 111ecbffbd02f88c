#!/bin/sh
# lmo experiment: usage errors, the quick sc-fig61 run (columns, byte-identical rerun, two
# shards merged by lmo merge = the unsharded outputs, hostile partials refused), its exact
# columns recomputed apart
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
cp "$T/out" "$T/a-stdout"
head -1 "$T/a/sc-fig61.csv" >"$T/header"
if [ "$(cat "$T/header")" = "run,dataset,hidden_layers,d,N,d2_over_N,rep,run_seed,epochs,mce,mse,min_abs_u,mce_exact,mse_exact,min_abs_u_exact,differentiable,zero_preactivations,rank_G,rows_G,full_rank,full_column_rank" ]; then ok; else fail "header: $(cat "$T/header")"; fi
n=$(wc -l <"$T/a/sc-fig61.csv"); if [ "$n" -eq 61 ]; then ok; else fail "sc-fig61.csv has $n lines, want 61"; fi
for f in sc-fig61-summary.csv sc-fig61.gp; do if [ -s "$T/a/$f" ]; then ok; else fail "no $f"; fi; done
if [ ! -e "$T/a/sc-fig61.csv.tmp" ]; then ok; else fail "the temporary CSV was left behind"; fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ -s "$T/a/sc-fig61.png" ]; then ok; else fail "gnuplot is there but no sc-fig61.png"; fi
fi
# the dumped final points are mnn vectors lmo reads
expect_exit 0 "$LMO_BIN" mnn --quiet "$T/a/sc-fig61-runs/run-0000.json"

expect_exit 0 "$LMO_BIN" experiment sc-fig61 --quick --quiet --out "$T/b"
if cmp -s "$T/a/sc-fig61.csv" "$T/b/sc-fig61.csv"; then ok; else fail "a rerun wrote another sc-fig61.csv"; fi
if cmp -s "$T/a/sc-fig61-summary.csv" "$T/b/sc-fig61-summary.csv"; then ok; else fail "a rerun wrote another summary"; fi

# Sharded: 2 shards into one --out (as on a cluster's shared disk). A shard prints a partial
# holding its contiguous block of runs (60 runs: 0-29, 30-59), writes its dumps and no CSV;
# lmo merge of the partials writes the unsharded CSV, summary and plot script and prints
# the unsharded run's lines, byte for byte.
for k in 1 2; do
    expect_exit 0 "$LMO_BIN" experiment sc-fig61 --quick --dump-weights --shard $k/2 --out "$T/s"
    cp "$T/out" "$T/part$k.json"
    expect_err "run $((30 * k - 1)): "   # the run lines go to stderr
done
if [ ! -e "$T/s/sc-fig61.csv" ] && [ ! -e "$T/s/sc-fig61.png" ]; then ok; else fail "a shard wrote the CSV or the PNG"; fi
if "$LMO_PYTHON" -c 'import json, sys
for k, want in ((1, range(0, 30)), (2, range(30, 60))):
    d = json.load(open(sys.argv[k]))
    p = d["inputs"][0]["part"]
    assert d["format"] == "lmo-partial/1" and d["command"] == "experiment" and "--shard" not in d["args"], d["args"]
    assert p["items"] == {"total": 60, "first": want[0], "end": want[-1] + 1}, p["items"]
    assert [r["index"] for r in p["runs"]] == list(want), k' "$T/part1.json" "$T/part2.json"; then ok
else fail "the shards' partials do not hold the blocks 0-29, 30-59"; fi
if "$LMO_PYTHON" "$LMO_SRC/tests/cli/check_partials.py" "$T/part1.json" "$T/part2.json" >"$T/cp" 2>&1; then ok
else fail "check_partials.py: $(head -c 400 "$T/cp")"; fi
n=$(ls "$T/s/sc-fig61-runs" | grep -c '^run-.*[0-9].json$'); if [ "$n" -eq 60 ]; then ok; else fail "the shards dumped $n runs, want 60"; fi
expect_exit 0 "$LMO_BIN" merge "$T/part2.json" "$T/part1.json"
for f in sc-fig61.csv sc-fig61-summary.csv sc-fig61.gp; do
    if cmp -s "$T/a/$f" "$T/s/$f"; then ok; else fail "lmo merge wrote another $f than the unsharded run"; fi
done
if cmp -s "$T/a-stdout" "$T/out"; then ok; else fail "lmo merge printed other lines than the unsharded run"; fi
# merge refuses, one line, and writes no CSV: a missing shard, a partial of another size
# (--quick left out), a tampered record; sc-fig62 is one run and takes no --shard
rm -f "$T/s/sc-fig61.csv"
expect_exit 2 "$LMO_BIN" merge "$T/part1.json"; expect_err "shard 2 of 2 is missing"; one_line_err
sed 's/"--quick",//' "$T/part1.json" >"$T/full1.json"; sed 's/"--quick",//' "$T/part2.json" >"$T/full2.json"
expect_exit 2 "$LMO_BIN" merge "$T/full1.json" "$T/full2.json"; expect_err "part.items.total: 60 runs, sc-fig61 has 120"; one_line_err
"$LMO_PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])); d["inputs"][0]["part"]["runs"][3]["mse"] = "nan"
json.dump(d, open(sys.argv[2], "w"))' "$T/part2.json" "$T/bad2.json"
expect_exit 2 "$LMO_BIN" merge "$T/part1.json" "$T/bad2.json"; expect_err "shard 2: inputs[0].part.runs[3].mse: not a finite double"; one_line_err
"$LMO_PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])); r = d["inputs"][0]["part"]["runs"]; r[4], r[5] = r[5], r[4]
json.dump(d, open(sys.argv[2], "w"))' "$T/part2.json" "$T/swap2.json"
expect_exit 2 "$LMO_BIN" merge "$T/part1.json" "$T/swap2.json"; expect_err "shard 2: inputs[0].part.runs[4].index: not the next run"
for k in 1 2; do   # a second input would be ignored: refused
    "$LMO_PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])); d["inputs"].append(d["inputs"][0])
json.dump(d, open(sys.argv[2], "w"))' "$T/part$k.json" "$T/two$k.json"
done
expect_exit 2 "$LMO_BIN" merge "$T/two1.json" "$T/two2.json"; expect_err "one input, not 2"; one_line_err
if [ ! -e "$T/s/sc-fig61.csv" ]; then ok; else fail "a refused merge left a CSV"; fi
expect_exit 2 "$LMO_BIN" experiment sc-fig62 --quick --shard 1/2 --out "$T/x"; expect_err "sc-fig62 is one run"; one_line_err

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
