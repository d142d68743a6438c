# The bot: FastAPI server with the embedded NLU (Rasa runs in its own container, see docker-compose.yml).
# Built and installed exactly as tests/deploy/test_installed_wheel.py does (where no Docker engine
# runs, that test stands in for this image): a wheel from the sources below, installed with
# --no-deps over the production lock. Nothing is read from /app at run time but the data directory.

FROM python:3.11-slim AS wheel
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY nlu ./nlu
COPY flows ./flows
COPY content ./content
RUN uv build --wheel -o /dist .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SAHABAT_DATA_DIR=/app/var
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
# The dependencies first (their layer survives source changes), without the dev tools.
COPY requirements-prod.lock ./
RUN uv pip install --system --no-cache --compile-bytecode -r requirements-prod.lock
COPY --from=wheel /dist/ /tmp/dist/
RUN uv pip install --system --no-cache --compile-bytecode --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist \
    && useradd --system --uid 1001 --home /app sahabat && mkdir -p /app/var && chown sahabat /app/var

USER sahabat
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
# Migrations first (idempotent), then the server with several workers.
CMD ["sh", "-c", "sahabat db upgrade && sahabat serve --host 0.0.0.0 --port 8000 --workers ${SAHABAT_WORKERS:-2}"]
