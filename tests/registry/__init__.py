"""Tests of partnernetz/registry/."""
