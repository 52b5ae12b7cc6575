"""Tests of partnernetz/views/."""
