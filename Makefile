# Everything a fresh machine of this kind needs is installed by these targets.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test setup python-deps neo4j-launcher schema lint bench

run: setup
	$(UV) run odznaka-graph serve --demo

test: setup lint
	$(UV) run pytest

setup: python-deps neo4j-launcher

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
