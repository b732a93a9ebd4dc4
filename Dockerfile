# Multi-stage build of a static, non-root image. Untested here: no Docker engine runs on
# the development machines; the same commands run in CI as `go build`.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /petitionbot ./cmd/petitionbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /petitionbot /petitionbot
USER nonroot:nonroot
ENTRYPOINT ["/petitionbot"]
