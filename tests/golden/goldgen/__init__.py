"""Golden fixture generation for cmlx: MLX computes, the C suite compares."""
