# syntax=docker/dockerfile:1
# coroner's image: one static binary, plus journalctl for `coroner node`.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t coroner .
#   docker buildx build --platform linux/amd64,linux/arm64 ... (the builder cross-compiles)

# The builder runs on the build machine's platform and cross-compiles for the target's, so a
# multi-arch build needs no emulation. CGO_ENABLED=0: a static binary that needs no libc.
FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
ARG TARGETOS=linux
ARG TARGETARCH
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X github.com/k8s-coroner/coroner/cmd/coroner/cli.version=${VERSION}" -o /out/coroner ./cmd/coroner

# The runtime is Debian slim rather than distroless because `coroner node` runs journalctl to
# read the node's journal (journalctl --root /host), and journalctl needs systemd's shared
# library and its dependencies, which only a distribution's systemd package brings. Trixie's
# journalctl (systemd 257) is recent enough to read the journal files of current nodes; an
# older journalctl refuses files written with features it does not know. ca-certificates:
# the batch jobs talk TLS to Loki and Elasticsearch. Nothing else: xz, zstd and bzip2 would
# only speed up `coroner analyze` on archives, and it has pure-Go decoders.
FROM debian:trixie-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/coroner /usr/local/bin/coroner
COPY LICENSE /usr/share/doc/coroner/LICENSE
# No USER: `coroner node` needs root (the kernel ring buffer, the node's journal), and
# `kubectl debug node/…` cannot choose the user without a custom profile, so the image's user
# is root. The batch jobs need nothing of it; their manifests in deploy/ run them as 65532
# with runAsNonRoot, no capabilities and a read-only root filesystem.
ENTRYPOINT ["/usr/local/bin/coroner"]
