# glowworm's own image, run the way Watchtower and Portainer are (README, "Three ways to run it"):
#
#   docker run --rm -it -v /var/run/docker.sock:/var/run/docker.sock -v /srv/glowworm:/srv/glowworm \
#     glowworm-upgrade:<version> upgrade --project-dir /srv/glowworm
#
# Build it with `npm run -s image` (scripts/build-image.mjs), which stages .image/ first: the tool as `npm pack`
# made it, installed with its production dependencies into a prefix on the build host — so the build itself needs
# no npm and no network — and, with --host-node, this machine's node binary for a base that has no Node.js 20.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}

# Empty unless --host-node: the test rig's Debian base has no Node.js, and Debian bookworm's nodejs is 18.
COPY .image/host-node/ /usr/local/bin/
COPY .image/prefix/ /usr/local/

# A base whose Node.js is older than the tool needs fails here, not at the user's first run.
RUN node -e "const m = Number(process.versions.node.split('.')[0]); if (m < 20) { console.error('glowworm needs Node.js >= 20; this base has ' + process.version + ' (pass --host-node or another --base)'); process.exit(1); }" \
 && glowworm --version

ENV NODE_ENV=production
# glowworm is PID 1 here: it exits on SIGINT/SIGTERM as a process with the default handlers would, and a run's own
# handlers (Ctrl-C stops at the next safe point) take over while one is going (src/cli/pid-one.ts).
ENTRYPOINT ["glowworm"]
CMD ["--help"]
