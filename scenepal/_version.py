"""The version of scenepal."""

__version__ = "0.1.0"
