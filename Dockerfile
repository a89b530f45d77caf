FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app

# The backup and restore commands need pg_dump and pg_restore of the database server's major
# version (docker-compose.yml runs postgres:16); Debian's own client is older, so it comes from
# the PostgreSQL project's Debian repository, set up by Debian's postgresql-common.
ARG POSTGRES_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${POSTGRES_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs a key to import settings; the real one comes from the environment.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input \
    && useradd --create-home cohortwise && mkdir -p /app/var /app/media \
    && chown -R cohortwise /app/var /app/media
USER cohortwise

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
