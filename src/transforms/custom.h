/* transforms/custom.h - what the transforms need to know about custom
 * function nodes (custom.c). */
#ifndef CMLX_TRANSFORMS_CUSTOM_H
#define CMLX_TRANSFORMS_CUSTOM_H

#include <stdbool.h>

#include "core/node.h"

/* Whether the jvp rule of `node` reads the tangent of its input i. False
 * for stop_gradient, and for a custom function's output that has a user
 * jvp (its f's output, input 0, is then never differentiated) or that
 * derives its jvp from f's graph (then only input 0 is read). True
 * otherwise. mx_jvp uses it to skip tangents nobody reads. */
bool mx_jvp_reads_input(const mx_node *node, int i);

#endif
