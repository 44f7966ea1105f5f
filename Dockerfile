# Production image: one image, three roles (web, worker, beat) chosen by the command.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# collectstatic needs settings but no live services.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdef \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build/build REDIS_URL=redis://build:6379/0 \
    EMAIL_URL=console:// python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 karigar && mkdir -p /app/media && chown karigar /app/media
USER karigar

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
