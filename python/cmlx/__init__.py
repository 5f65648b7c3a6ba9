"""cmlx: MLX's Python API on the cmlx C library. Use it as MLX:

    import cmlx.core as mx
"""
__version__ = "0.1.0"
