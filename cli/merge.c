/* `lmo merge PARTIAL...`: the partials of a sharded sweep (cli/shard.h) put together into
 * what the unsharded command prints. The partials are checked (one command, the same
 * arguments, shards 1..N each once, blocks tiling the items), then the command runs again
 * with those arguments, each sweep taking its items' results from the partials: the
 * command's own code prints the output, so it is the unsharded run's byte for byte, and
 * the exit code is the unsharded run's too. */
#include <stdlib.h>
#include <string.h>
#include "commands.h"

int lmo_cmd_merge(const lmo_command_t *c, int argc, char **argv)
{
    lmo_cli_opts o;
    lmo_shard_merge_t m;
    lmo_err_t err;
    const char *command = NULL;
    const json_t *args = NULL;
    int rc = lmo_cli_start(&o, argc, argv, c->usage, c->options, 1);
    if (rc >= 0) return rc;
    lmo_err_clear(&err);
    if ((rc = lmo_shard_merge_load(&m, &command, &args, o.nfiles, o.files, &err))) {
        fprintf(stderr, "lmo merge: %s\n", err.msg);
        return lmo_cli_opts_clear(&o), rc;
    }
    const lmo_command_t *sweep = lmo_command_find(command);
    if (!sweep || !(sweep->options & LMO_OPT_SHARD)) {
        fprintf(stderr, "lmo merge: %s: command: \"%s\" takes no --shard\n", o.files[0], command);
        rc = LMO_EINPUT;
    } else {
        size_t n = json_array_size(args), i;
        char **av = calloc(n + 2, sizeof *av);
        av[0] = (char *)sweep->name;
        for (i = 0; i < n && json_is_string(json_array_get(args, i)); i++)
            av[i + 1] = (char *)json_string_value(json_array_get(args, i));
        if (i < n) {
            fprintf(stderr, "lmo merge: %s: args[%zu]: not a string\n", o.files[0], i);
            rc = LMO_EINPUT;
        } else {
            lmo_shard_merge_set(&m);
            rc = sweep->run(sweep, (int)n + 1, av);
            lmo_shard_merge_set(NULL);
        }
        free(av);
    }
    lmo_shard_merge_clear(&m);
    lmo_cli_opts_clear(&o);
    return rc;
}
