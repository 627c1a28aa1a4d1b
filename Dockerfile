# dutygraph API and loader image, for deployments on Neo4j (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, so that code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY dutygraph/__init__.py dutygraph/__init__.py
RUN pip install --upgrade pip && pip install .

COPY . .
RUN pip install --no-deps . && useradd --create-home --uid 10001 dutygraph
USER dutygraph

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["dutygraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
