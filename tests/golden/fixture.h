/* tests/golden/fixture.h - the golden fixture files written by
 * tests/golden/gen_fixtures.py (format: tests/golden/goldgen/fmt.py).
 *
 * Parsing is length-checked everywhere: a truncated or corrupt file gives an
 * error message, never a read past the buffer. Parsed cases point into the
 * file's bytes, which must outlive them. */
#ifndef CMLX_GOLDEN_FIXTURE_H
#define CMLX_GOLDEN_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmlx/cmlx.h"

#define GOLDEN_MAX_PARAMS 16
#define GOLDEN_MAX_INPUTS 8
#define GOLDEN_MAX_VIEWS 4
#define GOLDEN_MAX_OUTPUTS 16
#define GOLDEN_NO_COLUMN 255
#define GOLDEN_STATUS_ANY 255 /* MLX raised RuntimeError: any error status will do */

enum { GOLDEN_VIEW_TRANSPOSE = 1, GOLDEN_VIEW_SLICE = 2, GOLDEN_VIEW_BROADCAST = 3 };

typedef struct golden_array {
    mx_dtype dtype;
    int ndim;
    int64_t shape[MX_MAX_NDIM];
    int64_t size;
    const uint8_t *data; /* nbytes of row-major elements, unaligned */
    size_t nbytes;
} golden_array;

typedef struct golden_view {
    int kind;
    int count;
    int64_t args[3 * MX_MAX_NDIM];
} golden_view;

typedef struct golden_input {
    golden_array array;
    int nviews;
    golden_view views[GOLDEN_MAX_VIEWS];
} golden_input;

typedef struct golden_param {
    char key[32];
    char kind; /* 'i' int64 or 'f' float64 */
    int count;
    const uint8_t *values; /* count little-endian values, unaligned */
} golden_param;

typedef struct golden_case {
    char op[48];
    char label[192];
    int column; /* mx_dtype of the coverage table column, or GOLDEN_NO_COLUMN */
    int nparams;
    golden_param params[GOLDEN_MAX_PARAMS];
    int ninputs;
    golden_input inputs[GOLDEN_MAX_INPUTS];
    int status;   /* expected: MX_OK, an mx_status, or GOLDEN_STATUS_ANY */
    bool at_eval; /* MLX raised only when evaluating */
    int noutputs;
    golden_array outputs[GOLDEN_MAX_OUTPUTS];
} golden_case;

/* A whole fixture file in memory. */
typedef struct golden_file {
    uint8_t *bytes;
    size_t size;
    size_t pos;      /* next case */
    uint32_t count;  /* cases in the file */
    uint32_t parsed; /* cases returned so far */
} golden_file;

/* Reads `path`; false with a message in err on failure. */
bool golden_file_open(golden_file *f, const char *path, char *err, size_t err_cap);
void golden_file_close(golden_file *f);
/* Parses the next case into c. Returns 1 on success, 0 at the end of the file
 * (after checking nothing trails the last case), -1 on a malformed case
 * (message in err; the rest of the file is not readable). */
int golden_file_next(golden_file *f, golden_case *c, char *err, size_t err_cap);

/* Parameters by key. NULL / false when absent, not a single value, or (for
 * golden_param_int) not an integer; golden_param_double converts integers. */
const golden_param *golden_param_find(const golden_case *c, const char *key);
bool golden_param_int(const golden_case *c, const char *key, int64_t *out);
bool golden_param_double(const golden_case *c, const char *key, double *out);
int64_t golden_param_int_at(const golden_param *p, int i);
double golden_param_double_at(const golden_param *p, int i);

#endif
