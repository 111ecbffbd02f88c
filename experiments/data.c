/* Section 6's data sets (lmo_exp/data.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "lmo_exp/data.h"
#include "lmo_exp/net.h"

void lmo_exp_synthetic(double *X, double *y, int d0, long N, lmo_rng_t *r)
{
    for (long n = 0; n < N; n++) {
        for (int j = 0; j < d0; j++) X[n * d0 + j] = lmo_exp_normal(r);
        y[n] = (lmo_rng_next(r) >> 63) ? 1.0 : -1.0;
    }
}

const char *lmo_exp_fashion_dir(void)
{
    const char *e = getenv("LMO_FASHION_MNIST_DIR");
    return e && *e ? e : LMO_EXP_FASHION_DIR;
}

/* The whole of a gzip file, malloc'ed; NULL when missing or unreadable. */
static unsigned char *read_gz(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = NULL;
    int got;
    if (!g) return NULL;
    buf = malloc(cap);
    while (buf && (got = gzread(g, buf + n, (unsigned) (cap - n))) > 0) {
        n += (size_t) got;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            else buf = nb;
        }
    }
    if (buf && got < 0) { free(buf); buf = NULL; }
    gzclose(g);
    *len = n;
    return buf;
}

static unsigned long be32(const unsigned char *p)
{
    return ((unsigned long) p[0] << 24) | ((unsigned long) p[1] << 16) | ((unsigned long) p[2] << 8) | p[3];
}

int lmo_exp_fashion_load(lmo_exp_fashion_t *f, const char *dir, int k, lmo_err_t *err)
{
    char pi[600], pl[600];
    size_t ni = 0, nl = 0;
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", dir ? dir : lmo_exp_fashion_dir());
    snprintf(pi, sizeof pi, "%s/train-images-idx3-ubyte.gz", f->dir);
    snprintf(pl, sizeof pl, "%s/train-labels-idx1-ubyte.gz", f->dir);
    unsigned char *img = read_gz(pi, &ni), *lab = read_gz(pl, &nl);
    int rc = LMO_OK;
    if (!img || !lab) {
        rc = lmo_err_set(err, LMO_EINPUT, "%s: Fashion-MNIST not available (Debian package "
                         "dataset-fashion-mnist, or set LMO_FASHION_MNIST_DIR)", img ? pl : pi);
    } else if (ni < 16 || be32(img) != 0x803 || nl < 8 || be32(lab) != 0x801
               || be32(img + 8) != 28 || be32(img + 12) != 28 || be32(img + 4) != be32(lab + 4)
               || ni < 16 + 784 * be32(img + 4) || nl < 8 + be32(lab + 4)) {
        rc = lmo_err_set(err, LMO_EINPUT, "%s: not an IDX file of 28 x 28 images matching %s", pi, pl);
    } else {
        long count = (long) be32(img + 4);
        int b = 28 / k, off = (28 - k * b) / 2, D = k * k;
        f->count = count;
        f->k = k;
        f->feat = malloc(sizeof(double) * (size_t) count * (size_t) D);
        f->label = malloc(sizeof(double) * (size_t) count);
        if (!f->feat || !f->label) abort();
        for (long n = 0; n < count; n++) {
            const unsigned char *p = img + 16 + 784 * n;
            for (int bi = 0; bi < k; bi++)
                for (int bj = 0; bj < k; bj++) {
                    long s = 0;
                    for (int i = 0; i < b; i++)
                        for (int j = 0; j < b; j++) s += p[(off + bi * b + i) * 28 + off + bj * b + j];
                    f->feat[n * D + bi * k + bj] = (double) s / (255.0 * b * b);
                }
            f->label[n] = lab[8 + n] <= 4 ? 1.0 : -1.0;
        }
        for (int j = 0; j < D; j++) { /* standardise each feature */
            double mean = 0, var = 0;
            for (long n = 0; n < count; n++) mean += f->feat[n * D + j];
            mean /= (double) count;
            for (long n = 0; n < count; n++) {
                double t = f->feat[n * D + j] - mean;
                var += t * t;
            }
            double sd = sqrt(var / (double) count);
            for (long n = 0; n < count; n++)
                f->feat[n * D + j] = sd > 0 ? (f->feat[n * D + j] - mean) / sd : 0;
        }
    }
    free(img);
    free(lab);
    return rc;
}

void lmo_exp_fashion_clear(lmo_exp_fashion_t *f)
{
    free(f->feat);
    free(f->label);
    memset(f, 0, sizeof *f);
}

void lmo_exp_fashion_subset(double *X, double *y, const lmo_exp_fashion_t *f, long N,
                            lmo_rng_t *r)
{
    long *idx = malloc(sizeof(long) * (size_t) f->count);
    int D = f->k * f->k;
    if (!idx) abort();
    for (long n = 0; n < f->count; n++) idx[n] = n;
    for (long n = 0; n < N; n++) {
        long k = n + (long) lmo_rng_below(r, (ulong) (f->count - n));
        long t = idx[n];
        idx[n] = idx[k];
        idx[k] = t;
        memcpy(X + n * D, f->feat + idx[n] * D, sizeof(double) * (size_t) D);
        y[n] = f->label[idx[n]];
    }
    free(idx);
}
