"""AppTest tests of dashboard.py and pages/ (no browser)."""
