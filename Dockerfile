# One image for every Switchyard process (api, worker, sandbox, migrations); docker-compose.yml picks the command.
# Not needed for local development: `npm start` runs everything without Docker (see docs/running.md).
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer. Dev dependencies are kept on purpose: the build
# needs TypeScript and the compiled code resolves its @switchyard/* imports with tsconfig-paths at run time.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund && npm cache clean --force

COPY . .
RUN npm run build

ENV NODE_ENV=production
USER node
EXPOSE 8080 4010

# Every entry point runs as `node -r ./scripts/register-aliases.cjs <entry>` from /app (maps @switchyard/* onto dist/).
CMD ["node", "-r", "./scripts/register-aliases.cjs", "dist/apps/api/src/main.js"]
