#!/bin/sh
# Rows of the README's "What lmo checks" table against what lmo does (issue 19): a row
# claims only the commands that check it, and says what they decide.
. "$(dirname "$0")/lib.sh"
readme="$LMO_SRC/README.md"
row() { grep -F "| $1 |" "$readme" | head -1; }

# Section 6, plain ReLU s = 0: every command the row claims (column 2, outside its
# parentheses) must read an s = 0 input of its kind (exit 0 or 1, never 2: refused).
r=$(row "S–C Section 6, ReLU s = 0")
[ -n "$r" ] && ok || fail "README has no s = 0 row"
cat > "$T/mnn.json" <<'J'
{"format": "lmo-vector/1", "kind": "mnn", "id": "relu-s0", "source": "tests/cli/test_readme_claims.sh: Section 6's plain ReLU",
 "input": {"X": {"rows": 2, "cols": 2, "data": [[2, 1], [-1, 3]]}, "slope": 0, "y": ["-7/2", 1],
  "weights": [{"rows": 2, "cols": 2, "data": [[-1, "2/3"], [1, "-1/3"]]}, {"rows": 1, "cols": 2, "data": [[1, "2/3"]]}]}}
J
cat > "$T/patterns.json" <<'J'
{"format": "lmo-vector/1", "kind": "mnn_patterns", "id": "relu-s0", "source": "tests/cli/test_readme_claims.sh: Section 6's plain ReLU",
 "input": {"X": {"rows": 2, "cols": 2, "data": [[2, 1], [-1, 3]]}, "mode": "exhaustive", "slope": 0, "width": 2}}
J
cmds=$(printf '%s\n' "$r" | awk -F'|' '{print $3}' | sed 's/([^)]*)//g' | grep -o '`lmo [a-z]*`' | tr -d '`' | awk '{print $2}')
[ -n "$cmds" ] && ok || fail "the s = 0 row claims no command"
for c in $cmds; do
    [ -f "$T/$c.json" ] || { fail "the s = 0 row claims lmo $c: no s = 0 input of its kind here"; continue; }
    "$LMO_BIN" "$c" "$T/$c.json" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -le 1 ]; then ok; else fail "the s = 0 row claims lmo $c, which refuses s = 0 (exit $rc): $(head -c 300 "$T/err")"; fi
done
# and lmo patterns' refusal points to the command that reads it
expect_exit 2 "$LMO_BIN" patterns "$T/patterns.json"; expect_err "is read by lmo mnn"; one_line_err

# Kawaguchi Corollary 2.4: for H = 2 lmo's witness is W = 0 and its Hessian is checked
# to vanish; the row must say so (not "zero Hessian only for H >= 3").
cat > "$T/dl.json" <<'J'
{"format": "lmo-vector/1", "kind": "deep_linear", "id": "h2", "source": "tests/cli/test_readme_claims.sh: H = 2",
 "input": {"X": {"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]}, "Y": {"rows": 2, "cols": 2, "data": [[2, 0], [0, 1]]},
  "weights": [{"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]}, {"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]},
              {"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]}]}}
J
"$LMO_BIN" classify "$T/dl.json" >"$T/out" 2>"$T/err"
expect_out "Corollary 2.4: holds: H = 2 >= 2: at W = 0"; expect_out "the gradient and the Hessian vanish"
r=$(row "K16 Corollary 2.4")
case "$r" in *"W = 0 (all three layers) for H = 2"*"exactly zero Hessian"*) ok ;;
    *) fail "README's Corollary 2.4 row does not claim the H = 2 witness W = 0 with a zero Hessian: $r" ;; esac
case "$r" in *"only claimed for H ≥ 3"*) fail "README's Corollary 2.4 row restricts the zero Hessian to H >= 3" ;; *) ok ;; esac
finish
