"""The reliability suite uses the end-to-end fixtures: the fake Discord, the driver, bot processes."""

from tests.e2e.conftest import *  # noqa: F403
