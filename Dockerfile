# The bot's image: compiled in a throw-away stage, run from an image that holds only dist/ and production
# dependencies, as an unprivileged user. The same image runs the DataArts simulator (compose.yaml).
#
#   docker build -t dlf-instance-bot .
#   docker run --env-file .env -p 3000:3000 dlf-instance-bot

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The lock file links the dlf-instance command-line tool from bin/ (a development dependency).
COPY bin/ bin/
# Scripts are skipped here: `prepare` would build before the sources are copied; the build is the next step.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
RUN npm run build

FROM node:20-bookworm-slim
LABEL org.opencontainers.image.title="dlf-instance-bot" \
      org.opencontainers.image.description="Slack chat-ops bot for DataArts Factory (DLF) batch job instances" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run the TypeScript build, which needs the development dependencies;
# dist/ comes from the build stage instead. No production dependency needs its install script (msgpackr
# finds its prebuilt native part in an optional package, or runs in plain JavaScript).
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/ dist/
# Files stay owned by root: the bot only reads them, and runs with a read-only root filesystem in Kubernetes.
# A numeric user, so Kubernetes' runAsNonRoot can tell it is not root (the image's `node` user is 1000).
USER 1000:1000
ENV PORT=3000
EXPOSE 3000
# The bot stops gracefully on SIGTERM: in-flight requests finish, the poll engine lets go of its locks.
STOPSIGNAL SIGTERM
# Slim images have no curl: Node asks GET /healthz itself (200 once Redis and Slack are reachable).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/app.js"]
