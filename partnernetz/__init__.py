"""Partnernetz: directory and coverage map of the partner networks of NRW's
Kommunale Integrationszentren.

The package never imports streamlit. Start at :func:`partnernetz.dataset.load_dataset`.
"""

__version__ = "0.1.0"
