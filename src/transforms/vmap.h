/* transforms/vmap.h - the vmap rules of the op table (vmap_rules.c) and the
 * helpers an op's own rule (mx_op_def.vmap, see core/node.h) can build on.
 *
 * A rule receives the traced node (its shapes are those of ONE example), the
 * batched replacement of each input and where that input's batch axis is
 * (-1: not batched, the input is the traced one, shared by every example).
 * It returns a new node holding every example's result and the axis of the
 * batch in it. Rules only build nodes of ops that have rules themselves, so
 * vmap of vmap works. See docs/autograd.md ("vmap"). */
#ifndef CMLX_TRANSFORMS_VMAP_H
#define CMLX_TRANSFORMS_VMAP_H

#include "core/node.h"

/* The batch size: the extent of the first batched input's batch axis. */
int64_t mx_vmap_batch_size(const mx_node *node, mx_node *const *inputs, const int *in_axes);

/* x with axis `from` moved to position `to` (a transpose view; x retained
 * when from == to). New reference, or NULL with the error set. */
mx_node *mx_vmap_move_axis(mx_node *x, int from, int to);

/* x (unbatched) with a batch axis of size `batch` inserted at `axis`: a
 * reshape and a broadcast_to, both views. New reference or NULL. */
mx_node *mx_vmap_insert_batch(mx_node *x, int axis, int64_t batch);

/* Input x whose batch axis is `axis` (-1: not batched) with its batch axis
 * at `to`: moved when batched, broadcast when not. New reference or NULL. */
mx_node *mx_vmap_batch_at(mx_node *x, int axis, int to, int64_t batch);

/* The rule of element-wise ops (any number of inputs of one shape, output of
 * that shape): the batched inputs are aligned on one batch axis, the
 * unbatched ones broadcast along it, and node's op runs with its params. */
int mx_vmap_elementwise(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);

/* A correct rule for any op with plain-data params, at the price of one node
 * per example: every example's slice of the inputs goes through node's op
 * (with node's params and shapes), and the results are stacked on axis 0.
 * Used where a batched kernel does not exist (random draws from a batch of
 * keys). Not for ops whose params own resources (params_release). */
int mx_vmap_unrolled(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);

/* The rule of ops that act on their inputs' trailing axes and loop over leading batch axes that
 * every input shares with the output (inv, cholesky, dequantize, hadamard_transform): each input
 * gets its batch axis at 0 (broadcast when not batched), and node's op runs once with its params
 * on the (batch, ...) inputs. Not for ops that broadcast leading axes between their inputs. */
int mx_vmap_leading_batch(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                          int *out_axis);

/* Apply the vmap rule of node's op: op->vmap when the op row sets one, else
 * the table of vmap_rules.c (explicit rules by op id, then defaults by
 * family). A node with no batched input is returned as it is (axis -1). An
 * op without a rule is MX_ERROR_UNSUPPORTED ("vmap: not implemented for X"). */
int mx_vmap_apply_rule(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);

#endif
