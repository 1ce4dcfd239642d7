# syntax=docker/dockerfile:1
# Build a static muster binary, then run it from a minimal image as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/muster ./cmd/muster \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/muster /usr/local/bin/muster
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/muster
# The SQLite default lives in the working directory; mount a volume here, or
# set DATABASE_URL to PostgreSQL.
WORKDIR /var/lib/muster
USER nonroot:nonroot
ENV MUSTER_ADDR=:8080 MUSTER_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/muster", "health"]
ENTRYPOINT ["/usr/local/bin/muster"]
CMD ["serve"]
