/* Certificate documents (see lmo/core/certificate.h). */
#include <stdio.h>
#include "lmo/core/certificate.h"
#include "lmo/core/vector_io.h"

static json_t *index_array(const slong *ix, slong n)
{
    json_t *a = json_array();
    for (slong i = 0; i < n; i++) json_array_append_new(a, json_integer(ix[i]));
    return a;
}

json_t *lmo_cert_rank_to_json(const lmo_rank_t R, const char *vector_id)
{
    slong n = R->n, r = R->rank, k = n - r;
    char p[32];
    json_t *c = json_object(), *minor = json_object(), *ker = json_object(), *vecs = json_array();

    json_object_set_new(c, "format", json_string("lmo-cert/1"));
    json_object_set_new(c, "claim", json_string("rank"));
    json_object_set_new(c, "vector", json_string(vector_id ? vector_id : ""));
    json_object_set_new(c, "rows", json_integer(R->m));
    json_object_set_new(c, "cols", json_integer(n));
    json_object_set_new(c, "rank", json_integer(r));
    snprintf(p, sizeof p, "%lu", (unsigned long) R->prime);
    json_object_set_new(minor, "prime", json_string(p));
    json_object_set_new(minor, "rows", index_array(R->rows, r));
    json_object_set_new(minor, "cols", index_array(R->cols, r));
    json_object_set_new(c, "minor", minor);

    fmpq_t q;
    fmpq_init(q);
    for (slong j = 0; j < k; j++) {
        json_t *v = json_array();
        for (slong i = 0; i < n; i++) {
            fmpq_set_fmpz_frac(q, fmpz_mat_entry(R->kernel_num, i, j), R->kernel_den);
            json_array_append_new(v, lmo_json_from_q(q));
        }
        json_array_append_new(vecs, v);
    }
    fmpq_clear(q);
    json_object_set_new(ker, "free", index_array(R->free, k));
    json_object_set_new(ker, "vectors", vecs);
    json_object_set_new(c, "kernel", ker);
    return c;
}
