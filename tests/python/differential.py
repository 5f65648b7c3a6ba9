"""Runs one (op, dtype) of the op table through hypothesis: shared by the
pytest modules (test_differential_*.py) and the coverage script."""

from hypothesis import HealthCheck, Phase, given, settings

from harness import check, examples_budget

DEFAULT_EXAMPLES = 12


def run_op_dtype(ref, cm, spec, dtype, max_examples=None, shrink=True):
    """Returns the set of outcomes ('pass', 'mlx-rejects'); raises on a mismatch
    (hypothesis reports the falsifying Case, which is the repro)."""
    outcomes = set()
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(max_examples=max_examples or examples_budget(DEFAULT_EXAMPLES), derandomize=True, deadline=None,
              database=None, phases=phases, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(spec.strategy(dtype))
    def differential(case):
        outcomes.add(check(ref, cm, spec, case, dtype))

    differential()
    return outcomes
