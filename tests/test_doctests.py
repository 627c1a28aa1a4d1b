"""The examples in every module's docstrings are true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

# Subpackages live in top-level folders (loaders/, graph/, api/, queries/), so each is walked on its own.
PACKAGES = [
    "dutygraph",
    "dutygraph.loaders",
    "dutygraph.loaders.registry",
    "dutygraph.graph",
    "dutygraph.api",
    "dutygraph.queries",
]
MODULES = sorted(
    {package for package in PACKAGES}
    | {
        name
        for package in PACKAGES
        for _, name, is_package in pkgutil.iter_modules(importlib.import_module(package).__path__, package + ".")
        if not is_package
    }
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
