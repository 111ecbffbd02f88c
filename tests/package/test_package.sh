#!/bin/sh
# Install lmo into a temporary prefix, build and run the example project
# (examples/float-client) against it, and link a C program with pkg-config.
# The example's lmo_add_vector_tests must not be fooled: a client that crashes,
# fails, prints nothing or garbage is red; a right rank on the vectors where
# numpy's rule is wrong is red under POLICY numpy and green without a policy.
. "$LMO_SRC/tests/cli/lib.sh"
P="$T/prefix"
PY=${LMO_PYTHON:-python3}
expect_exit 0 cmake --install "$LMO_BUILD" --prefix "$P"
for f in share/man/man1/lmo.1 share/man/man1/lmo-check.1 bin/lmo bin/lmo-check bin/lmo-vector-run lib/liblmo.a include/lmo/linalg/rank.h \
         lib/cmake/lmo/lmoConfig.cmake lib/cmake/lmo/LmoVectorTests.cmake \
         lib/pkgconfig/lmo.pc share/lmo/vectors/schema/lmo-vector-1.schema.json; do
    if [ -e "$P/$f" ]; then ok; else fail "not installed: $f"; fi
done
CORPUS="$P/share/lmo/vectors/corpus"

# What the tests should do, worked out from the vectors here, not by the code
# under test: the ids of the rank-kind vectors (KINDS in the example) with an
# exact rank, with numpy's decision, and those where numpy's decision is wrong;
# and a small directory FEW of three vectors numpy gets right and three it gets
# wrong (all of non-zero rank), for the clients that must fail everywhere.
mkdir "$T/few"
"$PY" - "$CORPUS" "$T" <<'PY'
import glob, json, os, shutil, sys
corpus, t = sys.argv[1], sys.argv[2]
exact, numpy, wrong, right = [], [], [], []
for f in sorted(glob.glob(os.path.join(corpus, '*.json'))):
    v = json.load(open(f))
    if v['kind'] not in ('matrix_rank', 'khatri_rao_rank'):
        continue
    e = v.get('expect', {}).get('rank')
    n = v.get('fast', {}).get('numpy', {}).get('rank')
    if e is not None:
        exact.append(v['id'])
    if n is not None:
        numpy.append(v['id'])
        (wrong if n != e else right).append((v['id'], f, e, n))
def write(name, ids):
    with open(os.path.join(t, name), 'w') as out:
        out.writelines(i + '\n' for i in sorted(ids))
write('exact.ids', exact)
write('numpy.ids', numpy)
write('numpy-wrong.ids', [w[0] for w in wrong])
few = [x for x in wrong if x[2] and x[3]][:3] + [x for x in right if x[2]][:3]
for i, f, e, n in few:
    shutil.copy(f, os.path.join(t, 'few'))
write('few.ids', [x[0] for x in few])
PY
count() { wc -l <"$T/$1" | tr -d ' '; }
nexact=$(count exact.ids); nnumpy=$(count numpy.ids); nwrong=$(count numpy-wrong.ids); nfew=$(count few.ids)
# the corpus must hold vectors on which numpy's rule is wrong, or the tests below prove nothing
if [ "$nwrong" -gt 0 ] && [ "$nfew" -eq 6 ]; then ok; else fail "corpus: $nwrong numpy-wrong vectors, $nfew few"; fi

# The clients. exact_rank.py answers the exact rank (expect.rank); numpy_then_3.py
# answers numpy's rank (fast.numpy.rank), right under POLICY numpy, then exits 3.
cat >"$T/exact_rank.py" <<'PY'
import json, sys
print(json.load(open(sys.argv[-1]))['expect']['rank'])
PY
cat >"$T/numpy_then_3.py" <<'PY'
import json, sys
print(json.load(open(sys.argv[-1]))['fast']['numpy']['rank'])
sys.exit(3)
PY
printf 'kill -SEGV $$\n' >"$T/segv.sh"
printf 'sleep 30\n' >"$T/hang.sh"

# replay NAME DIR POLICY CLIENT...: the example project in $T/NAME replaying DIR
# (POLICY empty: the exact rank) with CLIENT; ctest's output in $T/out.
replay() {
    name=$1 dir=$2 policy=$3; shift 3
    cmd=$(printf '%s;' "$@"); cmd=${cmd%;}
    expect_exit 0 cmake -S "$LMO_SRC/examples/float-client" -B "$T/$name" -DCMAKE_PREFIX_PATH="$P" \
        "-DCLIENT_COMMAND=$cmd" "-DVECTOR_DIR=$dir" "-DCLIENT_POLICY=$policy" \
        "-DCLIENT_TIMEOUT=${timeout:-60}"
    cp "$T/out" "$T/configure.out"
    ctest --test-dir "$T/$name" -j2 --output-on-failure >"$T/out" 2>&1; rc=$?
}
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else fail "$2: ctest exit $rc (want $1): $(tail -c 400 "$T/out")"; fi; }
# the ids of the tests ctest lists as failed, sorted
failed_ids() { sed -n 's/^[[:space:]]*[0-9][0-9]* - numpy\.\([^ ]*\) (.*/\1/p' "$T/out" | sort; }
same_failed() {
    failed_ids >"$T/failed.ids"
    if cmp -s "$T/failed.ids" "$T/$1"; then ok
    else fail "$2: the failing tests are not those of $1: $(diff "$T/failed.ids" "$T/$1" | head -5)"; fi
}

# 1. the numpy client under POLICY numpy: green on every vector with a numpy
#    decision, those where numpy misses the exact rank included; no WILL_FAIL,
#    and each test has a TIMEOUT
replay ex "$CORPUS" numpy "$PY" "$LMO_SRC/examples/float-client/numpy_rank.py"
if grep -qF "lmo_add_vector_tests(numpy): $nnumpy vectors" "$T/configure.out"; then ok
else fail "configure: not $nnumpy vectors: $(grep lmo_add "$T/configure.out")"; fi
expect_rc 0 "numpy client"
expect_out "100% tests passed, 0 tests failed out of $nnumpy"
ctest --test-dir "$T/ex" --show-only=json-v1 >"$T/tests.json"
if grep -q WILL_FAIL "$T/tests.json"; then fail "a test is WILL_FAIL"; else ok; fi
if [ "$(grep -c '"name" : "TIMEOUT"' "$T/tests.json")" -eq "$nnumpy" ]; then ok; else fail "tests without TIMEOUT"; fi

# 2. the exact rank under POLICY numpy: red on exactly the vectors where
#    fast.numpy.rank != expect.rank, and each says why, with lmo compare's
#    certified singular values
replay exact-numpy "$CORPUS" numpy "$PY" "$T/exact_rank.py"
expect_rc 8 "exact client, POLICY numpy"
expect_out "tests failed out of $nnumpy"
same_failed numpy-wrong.ids "exact client, POLICY numpy"
expect_out "(wrong: the test wants fast.numpy.rank = "
expect_out "exact verdict:   expect.rank = "
expect_out "policy decision: fast.numpy.rank = "
expect_out "the client is right where the numpy policy is wrong"
expect_out "exact singular values (certified): "
expect_out "numpy        rank "

# 3. the exact rank without a policy: green on every vector with an exact rank
replay exact "$CORPUS" "" "$PY" "$T/exact_rank.py"
expect_rc 0 "exact client, no policy"
expect_out "100% tests passed, 0 tests failed out of $nexact"

# 4. clients that must fail every test, each saying why (on FEW)
check_all_fail() {   # NAME REASON: every test of FEW failed, and REASON was printed
    expect_rc 8 "$1"
    expect_out "0% tests passed, $nfew tests failed out of $nfew"
    same_failed few.ids "$1"
    expect_out "$2"
}
replay segv "$T/few" numpy sh "$T/segv.sh"
check_all_fail "segfaulting client" "client answer:   none: killed by signal SIGSEGV"
replay exit3 "$T/few" numpy "$PY" "$T/numpy_then_3.py"
check_all_fail "client exiting 3" "client answer:   none: exited with status 3 after printing '"
replay silent "$T/few" numpy /bin/true
check_all_fail "silent client" "client answer:   none: empty output"
replay banana "$T/few" numpy /bin/echo banana
check_all_fail "banana client" "client answer:   none: printed 'banana', which is not a non-negative integer"
replay zero "$T/few" numpy /bin/echo 0
check_all_fail "always-0 client" "client answer:   0  (wrong: the test wants fast.numpy.rank = "
timeout=1; replay hang "$T/few" numpy sh "$T/hang.sh"; timeout=
check_all_fail "hanging client" "client answer:   none: no exit within 1 s (timeout): killed"

# 5. lmo-vector-run itself: unreadable vectors and absent members are errors
#    (exit 2), never a pass; a huge output after the answer is drained (the
#    client is not killed by SIGPIPE); a closed stdout is no answer.
RUN="$P/bin/lmo-vector-run"
V=$(ls "$T/few"/*.json | head -n 1)
W=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['fast']['numpy']['rank'])" "$V")
printf '{"id": "x", "kind": "matrix_rank", "expect": {"rank": 2' >"$T/bad.json"
expect_exit 2 "$RUN" --key rank "$T/bad.json" -- /bin/echo 2; expect_err "not a readable JSON vector"
expect_exit 2 "$RUN" --key rank --policy nosuch "$V" -- /bin/echo "$W"; expect_err "fast.nosuch.rank is absent"
expect_exit 2 "$RUN" --key nosuch "$V" -- /bin/echo "$W"; expect_err "expect.nosuch is absent"
expect_exit 0 "$RUN" --key rank --policy numpy "$V" -- sh -c "echo $W; head -c 50000000 /dev/zero"
expect_out "decided $W, as fast.numpy.rank"
expect_exit 1 "$RUN" --key rank --policy numpy "$V" -- sh -c "exec >&-; exit 0"; expect_out "empty output"
expect_exit 1 "$RUN" --key rank --policy numpy "$V" -- "$T/no-such-client"; expect_out "cannot run"
D=$(ls "$CORPUS"/deep-linear-*.json | head -n 1)
expect_exit 1 "$RUN" --key class "$D" -- /bin/echo banana; expect_out "which is not a deep_linear class name"

# pkg-config: a C program using liblmo's certified rank
cat > "$T/use.c" <<'C'
#include <stdio.h>
#include "lmo/linalg/rank.h"
int main(void)
{
    fmpq_mat_t M; lmo_rank_t R; lmo_err_t err;
    fmpq_mat_init(M, 2, 3);
    fmpq_set_si(fmpq_mat_entry(M, 0, 0), 1, 3); fmpq_set_si(fmpq_mat_entry(M, 0, 2), 2, 1);
    fmpq_set_si(fmpq_mat_entry(M, 1, 0), 2, 3); fmpq_set_si(fmpq_mat_entry(M, 1, 2), 4, 1);
    lmo_rank_init(R);
    if (lmo_rank_certified(R, M, 0, &err)) return 3;
    printf("rank %ld\n", (long) R->rank);
    lmo_rank_clear(R); fmpq_mat_clear(M);
    return 0;
}
C
flags=$(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags --libs lmo)
# the version, written once in project(lmo VERSION ...): lmo.pc, lmo/version.h, the CMake
# package (ctest passes it as LMO_VERSION)
v=$(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --modversion lmo)
if [ "$v" = "$LMO_VERSION" ]; then ok; else fail "lmo.pc: version '$v', want '$LMO_VERSION'"; fi
if grep -qF "#define LMO_VERSION \"$LMO_VERSION\"" "$P/include/lmo/version.h"; then ok
else fail "include/lmo/version.h lacks LMO_VERSION \"$LMO_VERSION\""; fi
mkdir "$T/ver"
printf 'cmake_minimum_required(VERSION 3.18)\nproject(ver NONE)\nfind_package(lmo %s EXACT REQUIRED)\nmessage(STATUS "lmo_VERSION=${lmo_VERSION}")\n' \
    "$LMO_VERSION" >"$T/ver/CMakeLists.txt"
expect_exit 0 cmake -S "$T/ver" -B "$T/ver/build" -DCMAKE_PREFIX_PATH="$P"
expect_out "lmo_VERSION=$LMO_VERSION"
expect_exit 0 sh -c "cc '$T/use.c' -o '$T/use' $flags"
expect_exit 0 "$T/use"; expect_out "rank 1"
finish
