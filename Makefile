# Two commands matter: `make start` and `make test`. Each does its own set-up on a fresh Debian machine
# with Node 20, npm and git: npm dependencies, Docker's engine, the sandbox image.
SHELL := /bin/bash
export TESTCONTAINERS_RYUK_DISABLED := true

.PHONY: start test deps docker sandbox-image build typecheck unit bench clean

start: deps docker sandbox-image build
	@scripts/start.sh

test: deps docker sandbox-image typecheck
	NODE_OPTIONS=--experimental-vm-modules npx jest --ci

deps: node_modules/.codegen-deps

node_modules/.codegen-deps: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

docker:
	@scripts/ensure-docker.sh

sandbox-image: docker
	@scripts/build-sandbox-image.sh

build: deps
	npx tsc -p tsconfig.build.json

typecheck: deps
	npx tsc --noEmit -p tsconfig.json

bench: deps docker sandbox-image
	@echo "See bench/README.md for each benchmark's command."

clean:
	rm -rf lib coverage .cache
