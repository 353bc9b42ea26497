#!/usr/bin/env bash
# Start the app. With GitHub App credentials in .env it serves webhooks; without them Probot's
# manifest flow registers a new GitHub App from app.yml and writes the credentials into .env.
set -euo pipefail
touch .env
has() { grep -qE "^$1=.+" .env || [ -n "${!1:-}" ]; }
if has APP_ID && { has PRIVATE_KEY || has PRIVATE_KEY_PATH; }; then
  echo "Starting codegen on port ${PORT:-3000} (webhook path ${WEBHOOK_PATH:-/api/github/webhooks})."
else
  cat <<MSG
No GitHub App credentials found (APP_ID and PRIVATE_KEY in .env).
Starting Probot's set-up flow: open http://localhost:${PORT:-3000} in a browser and follow
"Register GitHub App". It creates the app from app.yml and writes APP_ID, PRIVATE_KEY and
WEBHOOK_SECRET into .env. Then stop this process (Ctrl-C), set ANTHROPIC_API_KEY in .env
(see .env.example) and run 'make start' again.
MSG
  export NO_SMEE_SETUP=${NO_SMEE_SETUP:-true}
fi
exec npx probot run ./lib/index.js
