#!/usr/bin/env python
"""The Wagtail anchor's manage.py; run it with the anchor's own .venv (see setup)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anchor_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
