# vmserver in a container: one VM per container, configured by environment variables
# (see README.md "Settings" and docs/docker.md). Build: docker build -t vmserver .
#
# Two stages: the Swift toolchain image builds a release binary with the Swift standard library
# and Foundation linked in statically, so the runtime image needs no Swift runtime libraries.

# Override to try another toolchain, e.g. --build-arg SWIFT_IMAGE=swift:6.3-bookworm.
# The builder and the runtime must be the same Debian release (bookworm): glibc and
# libmicrohttpd are linked dynamically and must match at run time.
ARG SWIFT_IMAGE=swift:6.2-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS builder

# libmicrohttpd-dev: headers and the .so link for the CMicroHTTPD system library target.
# pkg-config: SwiftPM finds libmicrohttpd through it (Package.swift: pkgConfig "libmicrohttpd");
#   the swift image already has it, listed so the dependency is explicit.
# Versions are not pinned (hadolint DL3008): bookworm's security updates should apply.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libmicrohttpd-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve the dependencies first, in their own layer, so editing Sources/ does not fetch them
# again. Package.resolved is git-ignored: when present it pins the versions, else SwiftPM resolves.
COPY Package.* ./
RUN if [ -f Package.resolved ]; then swift package resolve --force-resolved-versions; \
    else swift package resolve; fi

# Tests/ is copied too: SwiftPM checks that every target declared in Package.swift has its folder.
COPY Sources ./Sources
COPY Tests ./Tests

# --static-swift-stdlib links libswiftCore, Dispatch and Foundation (with its ICU data) into the
# binary. What is left dynamic: glibc (libc, libm), libstdc++6, libgcc-s1 and libmicrohttpd.so.12.
RUN swift build -c release --static-swift-stdlib --product vmserver \
    && mkdir -p /staging \
    && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)/vmserver" /staging/ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}

# libmicrohttpd12: the HTTP control plane (pulls in libgnutls30 and its libraries).
# libstdc++6, libgcc-s1: needed by the statically linked Swift runtime; already in
#   debian:bookworm-slim (apt needs them), listed so the dependency is explicit.
# wget: only for the HEALTHCHECK below. It is the smallest HTTP client here: it shares
#   libgnutls30 with libmicrohttpd12, whereas curl would add libcurl4 and a dozen libraries.
# Not needed: libcurl (FoundationNetworking is not used), libxml2 (FoundationXML is not used),
#   libicu (Foundation's ICU is linked in), tzdata (log times are UTC from gmtime_r),
#   ca-certificates (no TLS).
# Versions are not pinned (hadolint DL3008), as in the builder.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libmicrohttpd12 libstdc++6 libgcc-s1 wget \
    && rm -rf /var/lib/apt/lists/*

# A fixed, unprivileged user; /logs is created writable by it (a new named volume mounted there
# takes that owner, as compose.yaml's does). A bind-mounted host folder keeps its host owner, so it
# must be writable by uid 10001: see docs/docker.md.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin vmserver \
    && install -d -o vmserver -g vmserver -m 0755 /logs

COPY --from=builder /staging/vmserver /usr/local/bin/vmserver
# The Swift runtime's crash backtracer (static, needs only libstdc++6): a crash prints a readable
# backtrace on standard error instead of just "Illegal instruction".
COPY --from=builder /staging/swift-backtrace-static /usr/local/libexec/vmserver/swift-backtrace-static

# Container defaults: listen on all interfaces (the 127.0.0.1 defaults would be unreachable from
# other containers and from published ports), log to /logs.
# CONTROL_HOST=0.0.0.0 makes the control plane reachable from the container network; publish its
# port on the host's 127.0.0.1 only, or set CONTROL_TOKEN to protect PUT/PATCH.
ENV HOST=0.0.0.0 \
    CONTROL_HOST=0.0.0.0 \
    LOG_DIR=/logs \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/libexec/vmserver/swift-backtrace-static

USER vmserver:vmserver
WORKDIR /logs

# No EXPOSE: the ports are whatever PORT and CONTROL_PORT (default PORT + 1000) say.

# GET /livez answers 200 as soon as the control plane is up (also while waiting for peers).
# HEAD is not routed (405), hence a GET to /dev/null. The port follows the VM's own setting.
# CONTROL_TOKEN is not needed: it only guards PUT/PATCH/POST.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD wget -q -O /dev/null --tries=1 --timeout=2 \
        "http://127.0.0.1:${CONTROL_PORT:-$((PORT + 1000))}/livez" || exit 1

# vmserver handles SIGTERM itself (clean stop, see README), so it can run as PID 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["vmserver"]
CMD ["run"]
