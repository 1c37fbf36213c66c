# The application image: gunicorn serving the app, or (with another command) the scheduler or a
# CLI task. Production dependencies only, installed from the hashed lock; runs as a non-root user.
#   docker build -t taxi-licensing .      docker compose up    (see compose.yaml)

# Build stage: the locked Python packages into a virtualenv, and the assets from the pinned npm packages.
FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY Makefile package.json package-lock.json ./
COPY assets ./assets
RUN make assets

# Run stage: no compiler, no Node.js, no test tools, no demo data generator.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    FLASK_APP=wsgi \
    LICENSING_ENV=production \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 licensing \
    && useradd --system --uid 10001 --gid licensing --home-dir /app --no-create-home licensing
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY config.py wsgi.py ./
COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py
COPY migrations migrations
COPY templates templates
COPY static static
COPY licensing licensing
COPY --from=build /src/static/govuk static/govuk
COPY --from=build /src/licensing/letters/fonts licensing/letters/fonts
USER licensing
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
