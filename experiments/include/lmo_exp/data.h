/*
 * lmo_exp/data.h -- the data sets of Soudry & Carmon's Section 6, in double precision.
 *
 * Synthetic: "x^(n) was drawn from a normal distribution N(0, 1), and y^(n) = +-1 with
 * probability 0.5". Real: the paper used "binary classification (between digits 0 - 4 and
 * 5 - 9) on N sized subsets of the MNIST dataset"; Debian ships Fashion-MNIST
 * (dataset-fashion-mnist), which stands in for MNIST here: classes 0-4 (y = +1) against
 * 5-9 (y = -1). The paper's width d = d0 needs d0 input features, so each 28 x 28 image is
 * downsampled to k x k = d0 block means: blocks of b = floor(28 / k) pixels, the centred
 * k b x k b square (k = 3: 9 x 9 blocks of the top-left 27 x 27; k = 5: 5 x 5 blocks of rows
 * and columns 1..25), pixel / 255; then each feature is standardised (mean 0, variance 1
 * over the 60000 training images).
 */
#ifndef LMO_EXP_DATA_H
#define LMO_EXP_DATA_H

#include "lmo/core/common.h"

/* Default directory of the Debian package; $LMO_FASHION_MNIST_DIR overrides it. */
#define LMO_EXP_FASHION_DIR "/usr/share/datasets/fashion-mnist"

typedef struct {
    long count;         /* images */
    int k;              /* k x k features */
    double *feat;       /* count x k^2, sample-major */
    double *label;      /* +1 (classes 0-4) or -1 (5-9) */
    char dir[512];
} lmo_exp_fashion_t;

/* N synthetic samples into X (N x d0, sample-major) and y. */
void lmo_exp_synthetic(double *X, double *y, int d0, long N, lmo_rng_t *r);

/* Reads DIR/train-images-idx3-ubyte.gz and DIR/train-labels-idx1-ubyte.gz (IDX, gzip) and
 * makes the k x k features. DIR NULL: $LMO_FASHION_MNIST_DIR or LMO_EXP_FASHION_DIR.
 * 0; LMO_EINPUT when a file is missing or malformed (err names it). */
int lmo_exp_fashion_load(lmo_exp_fashion_t *f, const char *dir, int k, lmo_err_t *err);
void lmo_exp_fashion_clear(lmo_exp_fashion_t *f);
/* The directory lmo_exp_fashion_load(NULL) reads. */
const char *lmo_exp_fashion_dir(void);

/* N distinct images drawn from R (partial Fisher-Yates) into X and y. */
void lmo_exp_fashion_subset(double *X, double *y, const lmo_exp_fashion_t *f, long N,
                            lmo_rng_t *r);

#endif
