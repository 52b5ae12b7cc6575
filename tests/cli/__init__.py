"""Tests of partnernetz/cli/ (python -m partnernetz ...)."""
