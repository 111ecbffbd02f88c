#!/bin/sh
# Install lmo into a temporary prefix, build and run the example project
# (examples/float-client) against it, and link a C program with pkg-config.
. "$LMO_SRC/tests/cli/lib.sh"
P="$T/prefix"
expect_exit 0 cmake --install "$LMO_BUILD" --prefix "$P"
for f in bin/lmo bin/lmo-check lib/liblmo.a include/lmo/rank.h lib/cmake/lmo/lmoConfig.cmake \
         lib/pkgconfig/lmo.pc share/lmo/vectors/schema/lmo-vector-1.schema.json; do
    if [ -e "$P/$f" ]; then ok; else fail "not installed: $f"; fi
done
# the vectors the example replays: the rank kinds (KINDS in its CMakeLists)
ncorpus=$(/usr/bin/python3 -c "
import glob, json
print(sum(json.load(open(f))['kind'] in ('matrix_rank', 'khatri_rao_rank')
          for f in glob.glob('$P/share/lmo/vectors/corpus/*.json')))")

# the example project: one test per corpus vector, green with the numpy client
expect_exit 0 cmake -S "$LMO_SRC/examples/float-client" -B "$T/ex" -DCMAKE_PREFIX_PATH="$P"
expect_out "lmo_add_vector_tests(numpy): $ncorpus vectors"
expect_exit 0 ctest --test-dir "$T/ex" -j2
expect_out "100% tests passed, 0 tests failed out of $ncorpus"
# a float program that decides wrongly is caught: always answering 0 fails
# (on the five examples, none of which has rank 0)
expect_exit 0 cmake -S "$LMO_SRC/examples/float-client" -B "$T/ex0" -DCMAKE_PREFIX_PATH="$P" \
    "-DCLIENT_COMMAND=/bin/echo;0" "-DVECTOR_DIR=$P/share/lmo/vectors/examples"
expect_exit 8 ctest --test-dir "$T/ex0" -j2
expect_out "0% tests passed, 5 tests failed out of 5"

# pkg-config: a C program using liblmo's certified rank
cat > "$T/use.c" <<'C'
#include <stdio.h>
#include "lmo/rank.h"
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
expect_exit 0 sh -c "cc '$T/use.c' -o '$T/use' $flags"
expect_exit 0 "$T/use"; expect_out "rank 1"
finish
