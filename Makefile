# Everything a fresh machine of this kind needs is installed by these targets.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test setup system-deps test-deps node-deps graphiql python-deps neo4j-launcher schema lint

# Debian packages, installed only when missing (the machine image usually has them).
APT_INSTALL = apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

run: setup
	DEV_MAILBOX=true $(UV) run odznaka-graph serve --demo

test: setup test-deps node-deps lint
	$(UV) run pytest

setup: system-deps python-deps neo4j-launcher graphiql

system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; $(APT_INSTALL) $$missing; fi

test-deps:
	@missing=""; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql-15"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; $(APT_INSTALL) $$missing; fi

# Node.js tools the tests drive (an outside credential verifier, a browser driver), locked.
node-deps:
	@for dir in tests/node tests/browser; do \
	  if [ -f $$dir/package-lock.json ]; then npm ci --prefix $$dir --no-audit --no-fund --silent; fi; \
	done

# GraphiQL's browser files (graphiql, react, react-dom; pinned by web/graphiql/package-lock.json),
# fetched from the npm registry now so the API serves them itself at run time (no CDN);
# installed again only when the lock file changes.
GRAPHIQL_INSTALLED := web/graphiql/node_modules/.package-lock.json
graphiql: $(GRAPHIQL_INSTALLED)
$(GRAPHIQL_INSTALLED): web/graphiql/package-lock.json | system-deps
	npm ci --prefix web/graphiql --no-audit --no-fund --silent
	@touch $@

python-deps:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet

neo4j-launcher: python-deps
	$(UV) run python -c "from odznaka_graph.neo4j_server import build_launcher; from odznaka_graph.settings import PROJECT_ROOT; build_launcher(PROJECT_ROOT)"

schema: python-deps
	$(UV) run python -m odznaka_graph.sdl > schema.graphql

lint: python-deps
	$(UV) run ruff check src tests
	$(UV) run mypy
