# syntax=docker/dockerfile:1
# One image for the whole monorepo, one entrypoint per app:
#   mirrorball-api | mirrorball-worker | mirrorball-scanner | mirrorball (CLI)
# e.g. `docker run IMAGE mirrorball-api` (the config file comes from MIRRORBALL_CONFIG or --config).
# Runs as uid 10001 with a read-only root filesystem; only /tmp needs to be writable.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: install everything, bundle each app (workspace libs inlined, npm packages external) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY . .
RUN npm ci \
 && node deploy/docker/bundle.mjs \
 && mkdir -p /out/apps \
 && for dir in apps/*/; do \
      app="$(basename "$dir")"; \
      if [ -f "apps/$app/dist/main.js" ]; then \
        mkdir -p "/out/apps/$app" && cp -r "apps/$app/package.json" "apps/$app/dist" "/out/apps/$app/"; \
      fi; \
    done

# --- prod-deps: runtime npm packages only; the workspace symlinks point at sources the image does not carry ---
FROM build AS prod-deps
RUN npm ci --omit=dev \
 && rm -rf node_modules/@mirrorball node_modules/.cache

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# tini: PID 1 that forwards SIGTERM and reaps children (the worker runs rsync).
# rsync (+ openssl for rsync-ssl, i.e. rsyncs:// mirrors): mirror scans over rsync.
# FTP and HTTP(S) scans are done in Node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini rsync openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 mirrorball \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mirrorball
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=prod-deps /src/package.json ./package.json
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /out/apps ./apps
COPY deploy/docker/bin/ /usr/local/bin/
USER 10001:10001
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["mirrorball-api"]
