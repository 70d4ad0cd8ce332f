# Production image: gunicorn serves the portal (static files through WhiteNoise, no CDN);
# the same image runs the migrations, the Celery worker and beat (docker-compose.yml,
# docs/DEPLOYMENT.md).
FROM python:3.11-slim

# `pip install .` puts only the Python modules into site-packages; templates/, static/ and locale/
# sit beside the code in /app, so the code is imported from /app (PYTHONPATH) and BASE_DIR is /app.
# WEB_CONCURRENCY is gunicorn's number of worker processes; .env may change it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

WORKDIR /app

# LibreOffice Writer without its GUI turns the portal's DOCX (minutes, plans, reports, from the
# region's templates) into PDF in the Celery worker (documents/pdf.py); Liberation fonts stand in,
# metric for metric, for Times New Roman and Arial of the templates, so lines break as in Word.
# The web process only checks that `soffice` is there to offer «Скачать PDF»; the same image runs both.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in a layer of their own: a change in the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb')); print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build *.egg-info \
    && groupadd --system --gid 1000 portal \
    && useradd --system --uid 1000 --gid portal --home-dir /app --no-create-home portal \
    && mkdir -p /app/var/media /app/var/beat \
    && chown -R portal:portal /app/var

# Static files are collected at build time with the production settings. The values below exist
# for this one command only; a running container takes the real ones from .env.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    CACHE_URL=locmemcache:// \
    EMAIL_URL=consolemail:// \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build-only.sqlite3

USER portal
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", "--access-logfile", "-"]
