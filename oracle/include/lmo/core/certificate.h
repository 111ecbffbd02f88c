/*
 * lmo/core/certificate.h -- certificates as JSON documents for proofs/lmo-check
 * (DESIGN.md, "Certificates"). Their formats and the rules lmo-check applies are
 * specified once, in vectors/schema/lmo-cert-1.md; the writers here and in the paper
 * modules (lmo_*_cert_to_json, lmo_*_certificates_to_json) follow it.
 */
#ifndef LMO_CORE_CERTIFICATE_H
#define LMO_CORE_CERTIFICATE_H

#include <jansson.h>
#include "lmo/linalg/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Claim "rank" (lmo-cert-1.md, "The rank certificate"): a minor non-zero mod a
 * prime proves rank >= r, n - r echelon kernel vectors prove rank <= r. */
json_t *lmo_cert_rank_to_json(const lmo_rank_t R, const char *vector_id);

#ifdef __cplusplus
}
#endif
#endif
