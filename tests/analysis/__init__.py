"""Tests of partnernetz/analysis/."""
