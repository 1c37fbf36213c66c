"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from licensing import create_app

app = create_app()
