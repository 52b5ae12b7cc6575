"""Tests of partnernetz/exchange/."""
