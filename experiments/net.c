/* The double-precision Soudry-Carmon network of the experiments (lmo_exp/net.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_exp/net.h"

double lmo_exp_uniform(lmo_rng_t *r)
{
    return (double) (lmo_rng_next(r) >> 11) * 0x1p-53;
}

double lmo_exp_normal(lmo_rng_t *r)
{
    double a, b, q;
    do {
        a = 2 * lmo_exp_uniform(r) - 1;
        b = 2 * lmo_exp_uniform(r) - 1;
        q = a * a + b * b;
    } while (q >= 1 || q == 0);
    return a * sqrt(-2 * log(q) / q);   /* the second variate is dropped: one draw, one number */
}

static double *zeros(size_t n)
{
    double *p = calloc(n ? n : 1, sizeof(double));
    if (!p) abort();
    return p;
}

void lmo_exp_net_init(lmo_exp_net_t *net, int L, const int *d, double s, lmo_rng_t *r)
{
    memset(net, 0, sizeof *net);
    net->L = L;
    net->s = s;
    for (int l = 0; l <= L; l++) net->d[l] = d[l];
    for (int l = 1; l <= L; l++) {
        size_t n = (size_t) d[l] * (size_t) d[l - 1];
        double h = sqrt(6.0 / d[l - 1]);   /* U(-h, h): mean 0, variance h^2/3 = 2/d_{l-1} */
        net->W[l - 1] = zeros(n);
        net->g[l - 1] = zeros(n);
        net->m[l - 1] = zeros(n);
        net->v[l - 1] = zeros(n);
        for (size_t k = 0; k < n; k++) net->W[l - 1][k] = h * (2 * lmo_exp_uniform(r) - 1);
    }
    for (int l = 0; l <= L; l++) {
        net->u[l] = zeros((size_t) d[l]);
        net->a[l] = zeros((size_t) d[l]);
        net->act[l] = zeros((size_t) d[l]);
        net->delta[l] = zeros((size_t) d[l]);
    }
}

void lmo_exp_net_clear(lmo_exp_net_t *net)
{
    for (int l = 0; l < net->L; l++) {
        free(net->W[l]); free(net->g[l]); free(net->m[l]); free(net->v[l]);
    }
    for (int l = 0; l <= net->L; l++) {
        free(net->u[l]); free(net->a[l]); free(net->act[l]); free(net->delta[l]);
    }
    free(net->perm);
    memset(net, 0, sizeof *net);
}

/* forward pass of one sample x; returns v_L */
static double forward(lmo_exp_net_t *net, const double *x)
{
    int L = net->L;
    memcpy(net->act[0], x, sizeof(double) * (size_t) net->d[0]);
    for (int l = 1; l <= L; l++) {
        int dl = net->d[l], dp = net->d[l - 1];
        const double *W = net->W[l - 1], *in = net->act[l - 1];
        for (int i = 0; i < dl; i++) {
            double u = 0;
            for (int j = 0; j < dp; j++) u += W[i * dp + j] * in[j];
            double a = l == L ? 1.0 : (u >= 0 ? 1.0 : net->s);
            net->u[l][i] = u;
            net->a[l][i] = a;
            net->act[l][i] = a * u;
        }
    }
    return net->act[L][0];
}

void lmo_exp_net_eval(lmo_exp_net_t *net, const double *X, const double *y, long N,
                      double *mse, double *mce, double *min_abs_u)
{
    double se = 0, mu = INFINITY;
    long wrong = 0;
    for (long n = 0; n < N; n++) {
        double out = forward(net, X + n * net->d[0]);
        double e = out - y[n];
        se += e * e;
        wrong += y[n] * out <= 0;
        for (int l = 1; l < net->L; l++)
            for (int i = 0; i < net->d[l]; i++) mu = fmin(mu, fabs(net->u[l][i]));
    }
    if (mse) *mse = se / (2.0 * (double) N);
    if (mce) *mce = (double) wrong / (double) N;
    if (min_abs_u) *min_abs_u = mu;
}

/* adds e * d v_L / dW to the gradient, after forward() of the sample */
static void backward(lmo_exp_net_t *net, double e)
{
    int L = net->L;
    net->delta[L][0] = e;
    for (int l = L; l >= 1; l--) {
        int dl = net->d[l], dp = net->d[l - 1];
        const double *W = net->W[l - 1], *in = net->act[l - 1], *dl_ = net->delta[l];
        double *g = net->g[l - 1];
        for (int i = 0; i < dl; i++)
            for (int j = 0; j < dp; j++) g[i * dp + j] += dl_[i] * in[j];
        if (l > 1) /* delta_{l-1} = a_{l-1} . (W_l^T delta_l) (5.2) */
            for (int j = 0; j < dp; j++) {
                double t = 0;
                for (int i = 0; i < dl; i++) t += W[i * dp + j] * dl_[i];
                net->delta[l - 1][j] = net->a[l - 1][j] * t;
            }
    }
}

static void step(lmo_exp_net_t *net, const lmo_exp_opt_t *opt, double scale)
{
    net->t++;
    double c1 = 1 - pow(opt->beta1, (double) net->t), c2 = 1 - pow(opt->beta2, (double) net->t);
    for (int l = 0; l < net->L; l++) {
        size_t n = (size_t) net->d[l + 1] * (size_t) net->d[l];
        double *W = net->W[l], *g = net->g[l], *m = net->m[l], *v = net->v[l];
        for (size_t k = 0; k < n; k++) {
            double gk = g[k] * scale;
            if (opt->adam) {
                m[k] = opt->beta1 * m[k] + (1 - opt->beta1) * gk;
                v[k] = opt->beta2 * v[k] + (1 - opt->beta2) * gk * gk;
                W[k] -= opt->lr * (m[k] / c1) / (sqrt(v[k] / c2) + opt->eps);
            } else {
                W[k] -= opt->lr * gk;
            }
            g[k] = 0;
        }
    }
}

void lmo_exp_net_epoch(lmo_exp_net_t *net, const lmo_exp_opt_t *opt, const double *X,
                       const double *y, long N, lmo_rng_t *r)
{
    long B = opt->batch < N ? opt->batch : N;
    if (net->nperm != N) {
        free(net->perm);
        if (!(net->perm = malloc(sizeof(size_t) * (size_t) N))) abort();
        for (long n = 0; n < N; n++) net->perm[n] = (size_t) n;
        net->nperm = N;
    }
    if (B < N) /* Fisher-Yates */
        for (long n = N - 1; n > 0; n--) {
            long k = (long) lmo_rng_below(r, (ulong) n + 1);
            size_t t = net->perm[n];
            net->perm[n] = net->perm[k];
            net->perm[k] = t;
        }
    for (long b0 = 0; b0 < N; b0 += B) {
        long b1 = b0 + B < N ? b0 + B : N;
        for (long k = b0; k < b1; k++) {
            size_t n = net->perm[k];
            double e = forward(net, X + n * (size_t) net->d[0]) - y[n];
            backward(net, e);
        }
        step(net, opt, 1.0 / (double) (b1 - b0));
    }
}
