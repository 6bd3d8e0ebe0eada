# Multi-stage build of the one `madoguchi` binary (API, SPA and operator commands).
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --bin madoguchi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/madoguchi --create-home madoguchi
COPY --from=build /src/target/release/madoguchi /usr/local/bin/madoguchi
USER madoguchi
WORKDIR /var/lib/madoguchi
ENV MADOGUCHI_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["madoguchi"]
CMD ["serve"]
