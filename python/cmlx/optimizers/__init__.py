"""cmlx.optimizers: the optimizers and learning-rate schedules of mlx.optimizers."""
from cmlx.optimizers.optimizers import *  # noqa: F401,F403
from cmlx.optimizers.schedulers import *  # noqa: F401,F403
