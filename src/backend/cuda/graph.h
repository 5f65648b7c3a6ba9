/* backend/cuda/graph.h - CUDA graphs (graph.c): the hooks cuda_backend.c
 * calls. */
#ifndef CMLX_BACKEND_CUDA_GRAPH_H
#define CMLX_BACKEND_CUDA_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

/* Called before anything that leaves the stream (host transfers, eviction,
 * cudaFree, synchronize): ends a recording in progress and submits it. */
void cuda_graph_interrupt(void);
bool cuda_graph_recording(void);

#endif
