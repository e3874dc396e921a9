# syntax=docker/dockerfile:1
# One image for every service and the Plivo simulator; the command picks which to run, e.g.
#   docker run call-campaigns dist/services/dialer/src/main.js
# (see docker-compose.yml for all entry points).

FROM node:20.20.2-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY .swcrc ./
COPY contracts ./contracts
COPY libs ./libs
COPY services ./services
COPY tools ./tools
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001 4010
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/services/gateway/src/main.js"]
