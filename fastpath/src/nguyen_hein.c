/* The Nguyen-Hein forward pass in double (lmo_fast/nguyen_hein.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_fast/nguyen_hein.h"

double lmo_fast_nh_sigma(double t, int act, double alpha)
{
    if (act == 1) return tanh(t);
    if (act == 2) return log1p(exp(alpha * t)) / alpha;
    return 1.0 / (1.0 + exp(-t));
}

void lmo_fast_nh_forward(double *F, const lmo_fast_nh_input_t *in, long l)
{
    long N = in->N, w = in->n[0];
    double *prev = malloc(sizeof(double) * (size_t)(N * w + 1));
    memcpy(prev, in->X, sizeof(double) * (size_t)(N * w));
    for (long q = 1; q <= l; q++) {
        long nq = in->n[q];
        double *cur = malloc(sizeof(double) * (size_t)(N * nq + 1));
        const double *W = in->W[q - 1], *b = in->b[q - 1];
        for (long i = 0; i < N; i++)
            for (long j = 0; j < nq; j++) {
                double g = 0; /* X W + b, as numpy's X @ W + b */
                for (long c = 0; c < w; c++) g += prev[i * w + c] * W[c * nq + j];
                g += b[j];
                cur[i * nq + j] = lmo_fast_nh_sigma(g, in->act, in->alpha);
            }
        free(prev);
        prev = cur, w = nq;
    }
    memcpy(F, prev, sizeof(double) * (size_t)(N * w));
    free(prev);
}
