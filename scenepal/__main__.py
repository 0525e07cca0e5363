"""``python -m scenepal``: the same as the ``scenepal`` command."""

from scenepal.cli import run

run()
