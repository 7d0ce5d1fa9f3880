"""Shared test set-up: hypothesis profiles and the seed documents beside the repository."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("fuzz", parent=settings.get_profile("default"), max_examples=2000)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

pytest_plugins = ["pytester"]


def pytest_configure(config: pytest.Config) -> None:
    """Run the scenario files from the source tree too, where the entry point is not installed."""
    if not config.pluginmanager.hasplugin("frivillighet"):
        config.pluginmanager.import_plugin("frivillighet.pytest_plugin")


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_text() -> dict[str, str]:
    """The seed documents by file name, NFC-normalised; skips when ../shared/seeds is absent."""
    if not SEEDS.is_dir():
        pytest.skip(
            f"the seed documents are not at {SEEDS} (../shared/seeds beside the repository)"
        )
    return {
        path.name: unicodedata.normalize("NFC", path.read_text("utf-8"))
        for path in SEEDS.glob("*.txt")
    }
