"""WSGI entry point for eventweek."""

import os

from django.core.wsgi import get_wsgi_application

from eventweek.local_env import read_local_env

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventweek.settings")
# make run's var/local.env, read only when no settings were given (eventweek/local_env.py, README).
read_local_env()
application = get_wsgi_application()
