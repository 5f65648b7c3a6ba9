/* core/handle.h - public mx_array handles <-> internal nodes, and scopes. */
#ifndef CMLX_CORE_HANDLE_H
#define CMLX_CORE_HANDLE_H

#include "core/node.h"

/* The node behind a handle (borrowed, no new reference), or NULL: for a null
 * or freed handle NULL with MX_ERROR_HANDLE set naming `op`; for an error
 * array NULL with its status and message made the thread's error. */
mx_node *mx_handle_get(mx_array a, const char *op);
/* The node behind a live handle, error nodes included (no error set). */
mx_node *mx_handle_peek(mx_array a);
/* Resolve n handles at once for `op`; false (error set) if any fails. */
bool mx_handles_get(const mx_array *arrays, int n, const char *op, mx_node **out);
/* A new handle owning `node` (takes the caller's reference). A NULL node
 * becomes an error array carrying the current thread error. */
mx_array mx_handle_wrap(mx_node *node);
/* A new handle to a's node that no scope records: for containers that own
 * their handles (mx_named_arrays), whose entries must outlive the scope they
 * were set in. The error array of mx_retain for a dead handle. */
mx_array mx_handle_retain_unscoped(mx_array a);

#endif
