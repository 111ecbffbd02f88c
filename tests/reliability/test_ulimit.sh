#!/bin/sh
# Limits (issue 8, DESIGN.md exit codes): under a 1 GB address-space limit
# (ulimit -v 1048576) `lmo rank` on an oversized input exits 3 with one line
# naming the file -- never a crash (exit >= 128), never 1, never a silent 2.
#   claim-*   dimensions far over the caps: refused before any allocation;
#   ones-4096 4096 x 4096 ones, exactly LMO_MAX_ENTRIES: within the caps, but
#             the JSON tree and the matrices need more than 1 GB;
#   ones-6000 6000 x 6000 ones (72 MB): the JSON tree alone exceeds 1 GB
#             before the entry cap can be checked.
# A small valid vector must still work under the same limit (so the limit
# itself is not what fails). Skipped (77) under ASan, which reserves
# terabytes of address space.
. "$LMO_SRC/tests/cli/lib.sh"
case "${LMO_SANITIZE:-}" in *address*) echo "skipped: ASan cannot run under ulimit -v"; exit 77;; esac
py=${LMO_PYTHON:-python3}
limit=1048576

# under_limit FILE: lmo rank FILE under the limit; stdout/stderr to $T/out, $T/err
under_limit() {
    ( ulimit -v $limit && exec "$LMO_BIN" rank --cert "$T/cert.json" "$1" ) >"$T/out" 2>"$T/err"
}

# must_refuse FILE: exit 3, one line naming FILE, no certificate
must_refuse() {
    under_limit "$1"; got=$?
    if [ "$got" -eq 3 ]; then ok; else fail "$(basename "$1"): exit $got under ulimit -v (want 3): $(head -c 300 "$T/err")"; fi
    expect_err "$1"
    one_line_err
    if [ -e "$T/cert.json" ]; then fail "$(basename "$1"): certificate written"; rm -f "$T/cert.json"; else ok; fi
}

under_limit "$LMO_SRC/vectors/examples/kr-constant-pattern.json"
if [ $? -eq 0 ] && [ -s "$T/cert.json" ]; then ok; else fail "a small vector fails under ulimit -v: $(head -c 300 "$T/err")"; fi
rm -f "$T/cert.json"

head='{"format": "lmo-vector/1", "kind": "matrix_rank", "id": "big", "source": "test_ulimit", "input": {"M": '
printf '%s{"rows": 20000, "cols": 20000, "data": [[0]]}}}\n' "$head" > "$T/claim-20000.json"
printf '%s{"rows": 1000000000, "cols": 1000000000, "data": []}}}\n' "$head" > "$T/claim-1e9.json"
for f in claim-20000 claim-1e9; do
    must_refuse "$T/$f.json"
    expect_err "input.M"
done

for n in 4096 6000; do
    "$py" -c 'import sys
n = int(sys.argv[1])
row = "[" + ",".join(["1"] * n) + "]"
with open(sys.argv[2], "w") as f:
    f.write(sys.argv[3] + "{\"rows\": %d, \"cols\": %d, \"data\": [" % (n, n))
    f.write(",".join([row] * n) + "]}}}\n")' $n "$T/ones-$n.json" "$head"
    must_refuse "$T/ones-$n.json"
    rm -f "$T/ones-$n.json"
done
finish
