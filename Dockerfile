# The Safeguarding Hub's image: the same start script as `make serve` (scripts/serve), run
# as an unprivileged user. `docker compose up` runs it with PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VENV=/app/.venv \
    HOST=0.0.0.0 \
    PORT=8000 \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/app/var/media \
    HUB_RUN_DIR=/app/var/run

# pg_dump and pg_restore for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin hub

WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN python -m venv $VENV \
    && $VENV/bin/pip install --no-cache-dir -c requirements.lock uv \
    && $VENV/bin/python -m uv pip install --no-cache -c requirements.lock --python $VENV/bin/python .

COPY --chown=hub:hub . .
RUN mkdir -p var/static var/media var/run && chown -R hub:hub var

USER hub
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["/app/.venv/bin/python", "-c", "import urllib.request, os; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]
CMD ["sh", "scripts/serve"]
