"""mlx.core.random beyond the op table: the C-level distributions' argument forms, and the one
known divergence (categorical with a single batch entry)."""

import numpy as np
import pytest


def test_categorical_single_batch_divergence(libs):
    """With one batch entry ((n,) logits with num_samples, or (1, n) logits), MLX 0.32.4 returns
    other categories than argmax(gumbel(shape) + logits), the composition it documents and that
    cmlx computes (and that MLX itself follows for every batch of two or more entries). Recorded
    as an open divergence: strict, so a fix (or a new MLX) shows up."""
    ref, cm = libs
    logits = [0.0, 0.0, 0.0]
    for M in (ref, cm):
        key = M.random.key(0)
        manual = M.argmax(M.random.gumbel((1, 3), key=key) + M.array([logits]), 1)
        drawn = M.random.categorical(M.array([logits]), axis=-1, key=key)
        if M is cm:
            assert drawn.tolist() == manual.tolist()
    key = ref.random.key(0)
    mlx_drawn = ref.random.categorical(ref.array([logits]), axis=-1, key=key).tolist()
    cm_drawn = cm.random.categorical(cm.array([logits]), axis=-1, key=cm.random.key(0)).tolist()
    if mlx_drawn != cm_drawn:
        pytest.xfail(f"MLX draws {mlx_drawn}, its gumbel + argmax composition (and cmlx) {cm_drawn}")


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "uint32", "int64", "uint64", pytest.param(
    "bool", marks=pytest.mark.xfail(strict=True, reason="randint(dtype=bool_): MLX's clamping in bool arithmetic "
                                                         "is not reproduced (True where cmlx gives False for "
                                                         "inverted or sign-straddling bounds)"))])
def test_randint_bounds_edges(libs, dtype):
    """Empty and inverted intervals, and bounds outside an unsigned dtype, as MLX."""
    ref, cm = libs
    for low, high in [(3, 3), (5, 2), (0, -1), (-7, 7), (-1, 0), (0, 1000)]:
        r = ref.random.randint(low, high, [7], dtype=getattr(ref, dtype if dtype != "bool" else "bool_"),
                               key=ref.random.key(11))
        c = cm.random.randint(low, high, [7], dtype=getattr(cm, dtype if dtype != "bool" else "bool_"), key=cm.random.key(11))
        np.testing.assert_array_equal(np.array(c), np.array(r), err_msg=f"randint({low}, {high}, {dtype})")


def test_distributions_reject_bad_dtypes(libs):
    ref, cm = libs
    for call in (lambda M: M.random.randint(0, 5, [2], dtype=M.float32),
                 lambda M: M.random.bernoulli(M.array([1, 0])),
                 lambda M: M.random.truncated_normal(0, 1, [2], dtype=M.int32),
                 lambda M: M.random.categorical(M.zeros((2, 3)), axis=2)):
        with pytest.raises(Exception) as expected:
            call(ref)
        with pytest.raises(expected.type):
            call(cm)
