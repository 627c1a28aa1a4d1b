"""The examples in every module's docstrings are true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

# Subpackages live in top-level folders (loaders/, graph/, api/, queries/), so each is walked on its own,
# down into its own subpackages (loaders/read/ …).
PACKAGES = ["dutygraph", "dutygraph.loaders", "dutygraph.graph", "dutygraph.api", "dutygraph.queries"]
MODULES = sorted(
    set(PACKAGES)
    | {
        name
        for package in PACKAGES
        for _, name, _ in pkgutil.walk_packages(importlib.import_module(package).__path__, package + ".")
    }
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
