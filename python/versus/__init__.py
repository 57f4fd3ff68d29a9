"""versus: the `versus` binary and, in :mod:`versus.sphinx`, a Sphinx extension."""
