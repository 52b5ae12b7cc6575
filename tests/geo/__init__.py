"""Tests of partnernetz/geo/."""
