# The bot: FastAPI server with the embedded NLU (Rasa runs in its own container, see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY nlu ./nlu
COPY flows ./flows
COPY content ./content
RUN pip install --no-cache-dir --no-deps . \
    && useradd --system --home /app sahabat && mkdir -p /app/var && chown sahabat /app/var

USER sahabat
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
# Migrations first (idempotent), then the server with several workers.
CMD ["sh", "-c", "sahabat db upgrade && sahabat serve --host 0.0.0.0 --port 8000 --workers ${SAHABAT_WORKERS:-2}"]
