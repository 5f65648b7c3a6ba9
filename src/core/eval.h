/* core/eval.h - the scheduler. */
#ifndef CMLX_CORE_EVAL_H
#define CMLX_CORE_EVAL_H

#include "core/node.h"

/* Evaluate the nodes (and their unevaluated ancestors) in topological order,
 * iteratively, freeing intermediates as it goes. */
mx_status mx_eval_nodes(mx_node *const *nodes, int n);
/* Give `n` row-contiguous storage (a copy when it is a strided view). */
mx_status mx_node_make_contiguous(mx_node *n);

#endif
