#!/usr/bin/env python
"""Django's command-line utility for eventweek."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventweek.settings")
    # make run's var/local.env, read only when no settings were given (eventweek/local_env.py, README).
    from eventweek.local_env import read_local_env

    read_local_env()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
