# Multi-stage build of the one `madoguchi` binary (API, SPA and operator commands).
# 1. The member SPA (frontend/dist), embedded into the release binary by the next stage.
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi.yaml /src/openapi.yaml
RUN npm run build

# 2. The binary.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
COPY --from=spa /src/frontend/dist frontend/dist
RUN cargo build --release --bin madoguchi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/madoguchi --create-home madoguchi
COPY --from=build /src/target/release/madoguchi /usr/local/bin/madoguchi
USER madoguchi
WORKDIR /var/lib/madoguchi
ENV MADOGUCHI_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["madoguchi"]
CMD ["serve"]
