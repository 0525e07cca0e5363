"""``python -m scenepal``: the same as the ``scenepal`` command."""

from scenepal._entry import main

main()
