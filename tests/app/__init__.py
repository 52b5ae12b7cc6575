"""AppTest tests of dashboard.py and app_pages/ (no browser)."""
