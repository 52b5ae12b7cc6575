"""Running Partnernetz: start a registry (``init``), back it up and restore it, check the install.

- :mod:`partnernetz.operations.region`: an NRW Kreis or kreisfreie Stadt by name or key.
- :mod:`partnernetz.operations.setup`: ``init`` — registry, access file and secrets template.
- :mod:`partnernetz.operations.backup`: ``backup`` and ``backup --restore`` with a manifest.
- :mod:`partnernetz.operations.doctor`: ``doctor`` — is the installation fit to run?
- :mod:`partnernetz.operations.lockfile`: the hashed lock file and what is installed.
"""
