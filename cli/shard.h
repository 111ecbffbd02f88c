/*
 * cli/shard.h -- deterministic sharding of sweeps and the partial results `lmo merge`
 * combines (DESIGN.md, "The lmo program": "shard K of N does a fixed part of the work that
 * depends only on the arguments, K and N; lmo merge reproduces the unsharded output byte
 * for byte").
 *
 * A sweep numbers its work items 0..T-1 in the order the unsharded run does them. Shard K
 * of N (1 <= K <= N) does the contiguous block [first, end) with
 *     first = (K-1)*floor(T/N) + min(K-1, T mod N),   end = the next shard's first,
 * so the blocks tile 0..T-1 in order, differ in size by at most one, and depend on nothing
 * but (T, K, N); T itself depends only on the arguments. Blocks (not i mod N) because a
 * pattern walk shares the work of a prefix between neighbouring items.
 *
 * A sharded run prints one JSON document, a partial (format "lmo-partial/1"):
 *     {"format", "command", "args": [the arguments without --shard], "shard": {"k", "n"},
 *      "inputs": [per input of the command, in order: what the sweep needs to finish the
 *                 output, with "items": {"total", "first", "end"} and the results of its
 *                 items, each with its item "index"]}
 * `lmo merge P1 ... PN` checks that the N partials come from one command with the same
 * arguments, that every K of 1..N is there exactly once and that their blocks tile the
 * items, then runs the command again with those arguments where each sweep takes its items'
 * results from the partials instead of computing them: the same code prints the output,
 * so it is the unsharded run's, byte for byte.
 */
#ifndef LMO_CLI_SHARD_H
#define LMO_CLI_SHARD_H

#include <jansson.h>
#include "lmo/core/common.h"

#define LMO_PARTIAL_FORMAT "lmo-partial/1"
#define LMO_SHARD_MAX 1000000

typedef struct { slong k, n; } lmo_shard_t; /* n = 0: not sharded */

/* "K/N" into *s: 0, or -1 when it is not two integers with 1 <= K <= N <= LMO_SHARD_MAX. */
int lmo_shard_parse(lmo_shard_t *s, const char *text);

/* Shard s's block [*first, *end) of TOTAL items (every item when s->n == 0). */
void lmo_shard_range(ulong *first, ulong *end, ulong total, const lmo_shard_t *s);

/* {"total", "first", "end"} of shard s's block. */
json_t *lmo_shard_items_json(ulong total, const lmo_shard_t *s);

/* A new partial of COMMAND run with ARGV[1..ARGC) (--shard K/N left out) as shard s, with
 * an empty "inputs"; the caller appends to it and prints it with lmo_cli_print_json. */
json_t *lmo_shard_partial_new(const char *command, int argc, char *const *argv,
                              const lmo_shard_t *s);

/* ---- lmo merge ---- */

/* The merge in progress: the N partials in the order of K (NULL when lmo merge is not
 * running). lmo_cli_start hands it to the command lmo merge runs again (o->merge). */
typedef struct { json_t **parts; slong n; } lmo_shard_merge_t;
void lmo_shard_merge_set(const lmo_shard_merge_t *m);
const lmo_shard_merge_t *lmo_shard_merge_get(void);

/* Read FILES[0..NFILES) as the partials of one sweep into *m (parts ordered by K): each a
 * partial, one command, the same arguments and N, every K once. LMO_EINPUT with a message
 * naming the file otherwise. *command and *args point into m->parts[0]. */
int lmo_shard_merge_load(lmo_shard_merge_t *m, const char **command, const json_t **args,
                         int nfiles, char *const *files, lmo_err_t *err);
void lmo_shard_merge_clear(lmo_shard_merge_t *m);

/* The "part" members of input INPUT of every partial, in the order of K, into parts (N
 * entries); checks that their "items" tile 0..total-1 in order (*total set). LMO_EINPUT
 * with a message otherwise. Exactly once per item, so a sweep can trust the blocks. */
int lmo_shard_merge_input(const json_t **parts, ulong *total, const lmo_shard_merge_t *m,
                          size_t input, lmo_err_t *err);

#endif
