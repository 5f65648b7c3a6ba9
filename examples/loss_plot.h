/* examples/loss_plot.h - draws a loss curve into a PNG file (our own small
 * writer: RGB pixels, zlib's compress2 for the IDAT stream, crc32 for the
 * chunks), with labelled axes in a built-in 3x5 digit font. */
#ifndef CMLX_EXAMPLES_LOSS_PLOT_H
#define CMLX_EXAMPLES_LOSS_PLOT_H

#include <stdbool.h>

/* Plots losses[0..n) against the step (1..n): the raw curve in light blue,
 * a moving average in dark blue, an optional second series (validation
 * losses at the given steps, red dots). Returns false (errno-style message
 * in `error`) when the file cannot be written. */
bool loss_plot_png(const char *path, const double *losses, int n, const int *extra_steps, const double *extra,
                   int n_extra, char *error, int error_size);

#endif
