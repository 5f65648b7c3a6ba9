/* cmlx/cmlx.h - the whole public API of cmlx, a lazy array framework for
 * machine learning in C. See README.md for an example. */
#ifndef CMLX_CMLX_H
#define CMLX_CMLX_H

#include "cmlx/array.h"
#include "cmlx/composite.h"
#include "cmlx/conv.h"
#include "cmlx/device.h"
#include "cmlx/fast.h"
#include "cmlx/fft.h"
#include "cmlx/indexing.h"
#include "cmlx/io.h"
#include "cmlx/linalg.h"
#include "cmlx/memory.h"
#include "cmlx/ops.h"
#include "cmlx/quantize.h"
#include "cmlx/random.h"
#include "cmlx/sort.h"
#include "cmlx/transforms.h"
#include "cmlx/version.h"

#endif
