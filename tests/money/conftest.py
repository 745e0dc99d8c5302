"""Fixtures for the money tests: one rule book for the session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def book():
    from xiabo.rules import load_rulebook

    return load_rulebook()
