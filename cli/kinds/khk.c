/* Kind khk: a point of a deep ReLU / leaky / abs network in the orientation of Kawaguchi,
 * Huang & Kaelbling (2019) -- rows are samples -- with the exact L(theta), J(theta) of (4.2),
 * the activation patterns Lambda, the first kink, criticality from the exact gradient, and
 * the outcomes of Theorem 1, Lemmas 1 and 3 and Proposition 1 (lmo/khk/khk.h). No fast tier
 * yet (.fast NULL: `lmo compare` reports the exact verdict only) and no certificate (lmo-check
 * has no rule for J; out of scope of this stage). */
#include <stdlib.h>
#include "kind.h"
#include "lmo/khk/khk.h"

typedef struct {
    lmo_khk_t net;
    lmo_khk_result_t r;
    int ready;       /* net and r initialised */
} khk_state;

static int khk_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    khk_state *s = p;
    if (lmo_khk_input_set_json(s->net, v->input, &o->lim, err)) return err->code;
    lmo_khk_result_init(s->r);
    s->ready = 1;
    return lmo_khk_compute(s->r, s->net, &o->lim, err);
}

static void khk_clear(void *p)
{
    khk_state *s = p;
    if (s->ready) lmo_khk_result_clear(s->r), lmo_khk_clear(s->net);
}

static json_t *khk_verdict(const void *p)
{
    return lmo_khk_result_to_json(((const khk_state *)p)->r);
}

static int khk_failed(const void *p)
{
    return ((const khk_state *)p)->r->violation;
}

static void khk_shape(FILE *f, const void *p)
{
    const khk_state *s = p;
    fprintf(f, "H=%ld, widths", (long)s->net->H);
    for (slong l = 0; l <= s->net->H + 1; l++) fprintf(f, "%s%ld", l ? "," : " ", (long)s->net->d[l]);
    fprintf(f, ", m=%ld, activations", (long)s->net->m);
    for (slong l = 0; l < s->net->H; l++) {
        char *a = lmo_khk_act_get_str(s->net->act + l);
        fprintf(f, "%s%s", l ? "," : " ", a);
        flint_free(a);
    }
}

static void khk_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const lmo_khk_result_struct *r = ((const khk_state *)p)->r;
    fmpq_t gap;
    (void)o;
    fmpq_init(gap);
    fmpq_sub(gap, r->loss, r->J);
    if (r->differentiable)
        fprintf(f, "  differentiable, %s (squared gradient norm ", r->critical ? "critical" : "NOT critical");
    else
        fprintf(f, "  NOT differentiable: unit %ld of hidden layer %ld has pre-activation 0 at sample "
                "%ld (Lambda = 0 there; squared gradient norm at that Lambda ", (long)r->kink_unit,
                (long)r->kink_layer, (long)r->kink_sample);
    lmo_cli_print_q(f, r->grad_norm2);
    fprintf(f, ")\n  L = ");
    lmo_cli_print_q(f, r->loss);
    fprintf(f, "\n  J = ");
    lmo_cli_print_q(f, r->J);
    fprintf(f, "  (4.2), rank [D D_1(H+1)] = %ld of %ld rows\n  L - J = ", (long)r->path_rank,
            (long)r->n);
    lmo_cli_print_q(f, gap);
    fprintf(f, "\n");
    for (int i = 0; i < LMO_KHK_NTHM; i++) lmo_cli_print_theorem(f, r->thm + i);
    fmpq_clear(gap);
}

static void khk_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    (void)fast;
    json_t *d = json_object_get(verdict, "differentiable"), *c = json_object_get(verdict, "critical");
    if (json_is_false(d)) json_array_append_new(flags, json_string("NotDifferentiable"));
    else if (json_is_true(c)) json_array_append_new(flags, json_string("Critical"));
}

/* The theorem objects are lmo's reading of the paper, not claims lmo-check certifies. */
static const char *const khk_report[] = {"theorems", NULL};

const lmo_kind_t lmo_kind_khk = {
    .kind = "khk", .state_size = sizeof(khk_state), .exact = khk_exact, .clear = khk_clear,
    .verdict = khk_verdict, .failed = khk_failed, .shape = khk_shape, .text = khk_text,
    .flags = khk_flags, .report = khk_report};
