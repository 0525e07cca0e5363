"""Errors raised by scenepal.

Every error scenepal raises on purpose derives from :class:`ScenepalError`, and also from the
builtin exception that matches its meaning, so callers may catch either::

    ScenepalError
    ├── ConfigError(ScenepalError, ValueError)          a setting is out of range or unknown
    ├── InputNotFoundError(ScenepalError, FileNotFoundError)
    │                                                   the input path is missing or not a file
    ├── VideoOpenError(ScenepalError, OSError)          the input is not a usable video
    │   └── HdrRefusedError                             HDR input with ``hdr="refuse"``
    ├── AnalysisFileError(ScenepalError, ValueError)    an analysis.json cannot be read back
    ├── OutputError(ScenepalError, OSError)             the output folder cannot be written
    └── ClusterError(ScenepalError, ConnectionError)    a Dask scheduler cannot be reached

Messages are one line, written for the person who ran the command.
"""

from __future__ import annotations


class ScenepalError(Exception):
    """Root of every error scenepal raises on purpose."""


class ConfigError(ScenepalError, ValueError):
    """A setting is unknown or out of its valid range."""


class InputNotFoundError(ScenepalError, FileNotFoundError):
    """The input path does not exist or is not a regular file."""


class VideoOpenError(ScenepalError, OSError):
    """The input exists but is not a usable video (not media, no video stream, no frames)."""


class HdrRefusedError(VideoOpenError):
    """The input is HDR and the settings ask to refuse HDR input."""


class AnalysisFileError(ScenepalError, ValueError):
    """An analysis.json file is missing, malformed or of an unsupported schema version."""


class OutputError(ScenepalError, OSError):
    """The output folder or one of its files cannot be written."""


class ClusterError(ScenepalError, ConnectionError):
    """The Dask cluster a batch was pointed at cannot be reached."""
