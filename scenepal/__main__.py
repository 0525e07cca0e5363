"""``python -m scenepal``: the same as the ``scenepal`` command."""

from scenepal._entry import main

if __name__ == "__main__":  # not again in the worker processes a local Dask cluster spawns
    main()
