"""Development: the embedded SQLite database and the demo data (`make run`)."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", True)
