/* ops/linalg.h - parameters and output layouts of the packed decomposition
 * primitives of ops/linalg.c, shared with their CPU kernels
 * (backend/cpu/linalg.c).
 *
 * A decomposition with several outputs is one primitive whose node holds, per
 * matrix of the batch, every output flattened one after another along its
 * last axis (a "packed" node of shape (..., total)); the public functions
 * return slice + reshape views of it, so the factorisation runs once however
 * many outputs are used. Layouts for an m x n input, k = min(m, n), each part
 * row-major:
 *   lu_factor  [LU m*n][pivots k]           pivots 0-based, stored as values
 *   lu         [perm m][L m*k][U k*n]       perm: A = L[perm] @ U (MLX's P)
 *   qr         [Q m*k][R k*n]
 *   svd        [U m*m][S k][Vt n*n]         values only: [S k]
 *   eigh       [w n][V n*n]                 values only: [w n]
 *   eig        [w n][V n*n]  (complex64)    values only: [w n]
 *   slogdet    [sign][log|det|][det]
 * Indices stored as float values are exact below 2^24 (float32). */
#ifndef CMLX_OPS_LINALG_H
#define CMLX_OPS_LINALG_H

#include <stdbool.h>

typedef struct linalg_decomp_params {
    bool vectors; /* svd, eigh, eig: the vectors too (else values only) */
    bool upper;   /* eigh: read the upper triangle (UPLO != "L") */
} linalg_decomp_params;

#endif
