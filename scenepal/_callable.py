"""Modules that are also functions: ``scenepal.export(...)`` and ``scenepal.render(...)``.

``scenepal.export`` is a module and ``scenepal.render`` a package, and the public API calls them
as functions too. A module attribute of the same name would be replaced by the module the first
time it is imported; giving the module object a ``__call__`` instead keeps both
``scenepal.export.load_analysis`` and ``scenepal.export(analysis, "ase")`` working, whatever was
imported first.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Let the module ``module_name`` be called as ``function``."""
    module = sys.modules[module_name]

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    CallableModule.__call__.__doc__ = function.__doc__
    module.__class__ = CallableModule
