/*
 * lmo/certificate.h -- certificates as JSON documents for proofs/lmo-check
 * (DESIGN.md, "Certificates"; format and rules in proofs/README.md).
 *
 * Every certificate is an object {"format": "lmo-cert/1", "claim": ...,
 * "vector": <id>, ...}. Numbers follow DESIGN.md "Numbers" (exact).
 */
#ifndef LMO_CERTIFICATE_H
#define LMO_CERTIFICATE_H

#include <jansson.h>
#include "lmo/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

/* claim "rank": rows, cols, rank; minor {prime, rows, cols} proves
 * rank >= r; kernel {free, vectors} (n - r echelon vectors, exact
 * rationals) proves rank <= r. */
json_t *lmo_cert_rank_to_json(const lmo_rank_t R, const char *vector_id);

#ifdef __cplusplus
}
#endif
#endif
