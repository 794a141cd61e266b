"""The production settings, plus one bare view to compare against (bench/urls.py)."""

from eguarantee.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
