# syntax=docker/dockerfile:1
# Build a static muster binary, then run it as a non-root user on a slim
# Debian with headless Chromium and Noto fonts: certificate and transcript
# PDFs are printed by Chromium, the one way found that shapes Persian.
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV GOTOOLCHAIN=go1.27.3
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/muster ./cmd/muster

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-core ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/muster --create-home muster
COPY --from=build /out/muster /usr/local/bin/muster
# The SQLite default lives in the working directory: mount a volume here, or
# set DATABASE_URL to PostgreSQL.
WORKDIR /var/lib/muster
USER muster
ENV MUSTER_ADDR=:8080 MUSTER_LOG_FORMAT=json MUSTER_CHROMIUM=/usr/bin/chromium
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/muster", "health"]
ENTRYPOINT ["/usr/local/bin/muster"]
CMD ["serve"]
