"""scenepal's benchmark: ``make bench`` or ``python -m bench --help``."""
