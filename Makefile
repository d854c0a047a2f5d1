# kpi-cases: two commands on a fresh machine.
#   make run   set up .venv (when missing) and run every case notebook headless into reports/
#   make test  set up .venv (when missing) and run the whole test suite
#   make test-browser  the notebooks in JupyterLab in headless Chromium (installs Debian's chromium)
#   make test-spark    the engine equivalence tests on Spark in local mode (installs Java and PySpark)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BROWSER_STAMP := $(VENV)/.browser-stamp
SPARK_STAMP := $(VENV)/.spark-stamp
# Debian's Chromium: the browser tests never download a browser of their own.
CHROMIUM ?= /usr/bin/chromium
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Two cores: keep BLAS single-threaded so test workers do not fight over them.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all run test test-fast test-browser test-spark chromium java bench lab data notebooks notebooks-nb golden lock site setup clean help

help:
	@echo "make run    set up and run every case headless into reports/"
	@echo "make test   set up and run all tests (unit, property, notebooks, CLI)"
	@echo "make test-fast  the tests that execute no notebook and are not slow (under a minute)"
	@echo "make test-browser  run every notebook in JupyterLab in headless Chromium; screenshots in reports/screenshots/"
	@echo "make test-spark  the KPI tables on Spark (local mode) equal pandas and DuckDB (installs Java, PySpark)"
	@echo "make lab    open JupyterLab on notebooks/"
	@echo "make data   regenerate data/ from the seeded generators"
	@echo "make notebooks  re-execute the notebooks in place (refresh committed outputs), then build notebooks/nb/"
	@echo "make notebooks-nb  build the Bokmål edition notebooks/nb/ from notebooks/i18n/nb/ and execute it"
	@echo "make site   build the lessons site into build/site/ (offline, from the committed outputs)"
	@echo "make lock   refresh requirements.lock to the newest allowed versions, then make notebooks"
	@echo "make golden  rewrite tests/golden/ (the KPI tables of the shipped cases; say why in the commit)"
	@echo "make bench  performance: KPI path vs DuckDB vs pandas (1M, 10M rows), notebooks, start-up"

setup: $(STAMP)

# Exact versions from requirements.lock (the committed notebook outputs, PNGs included, depend on
# them), then the project itself without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi-cases)" >/dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kpi-cases run all --out reports

# The type checker first (kpi_helpers is typed and ships py.typed), then every test; Spark's tests
# (marker spark) run in `make test-spark`: a JVM and 400 MB of PySpark are not for every run.
test: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest --nbval --nbval-current-env -m "not spark" tests notebooks

# The engine equivalence tests on Spark in local mode (tests/test_engines.py: one SparkSession for all).
test-spark: $(SPARK_STAMP) java
	$(BIN)/python -m pytest -m spark tests/test_engines.py

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -c requirements-spark.lock \
		-e ".[test,spark]"
	@touch $(SPARK_STAMP)

# Debian's headless Java runtime for Spark, when there is no `java` at all.
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; }

# While editing: no notebook executions, nothing slow (markers in pyproject.toml, tests/conftest.py).
test-fast: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n 2 -m "not notebook and not slow and not spark" tests

# The students' view: every notebook in JupyterLab, run in headless Chromium (tests_browser/).
# The PDF test of tests/test_report.py is skipped by `make test` where chromium is missing: run it here.
test-browser: $(BROWSER_STAMP) chromium
	$(BIN)/python -m pytest tests_browser tests/test_report.py::test_run_pdf_writes_an_a4_pdf_whose_every_page_has_content

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test,browser]"
	@touch $(BROWSER_STAMP)

# Debian's Chromium, plus a colour emoji font so that ✅/❌ in the notebooks look as on a student's desktop.
chromium:
	@test -x $(CHROMIUM) && test -e $(EMOJI_FONT) || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-dejavu-core fonts-noto-color-emoji; }

# Not part of `make test`: generates 1M and 10M-row logs into benchmarks/.cache/ (once) and times
# every variant in fresh processes, alternating, 3 rounds; writes benchmarks/.cache/results.md.
# BENCH_ARGS="--only kpis --sizes 1m" for a part.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

data: $(STAMP)
	$(BIN)/python -m kpi_helpers.synth --out data

notebooks: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py
	$(BIN)/python tools/translate_notebooks.py build

# The Bokmål edition notebooks/nb/: built from the English notebooks and notebooks/i18n/nb/*.md, executed.
notebooks-nb: $(STAMP)
	$(BIN)/python tools/translate_notebooks.py build

# The lessons site: every notebook from its committed outputs (nothing re-executed), offline.
site: $(STAMP)
	$(BIN)/python -m kpi_helpers.site --out build/site

# Refresh the lock to the newest versions within pyproject's ranges, install it, pin environment.yml
# to it, then re-execute the notebooks (their outputs depend on the versions). Commit all of it.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra test --extra bench --strip-extras --annotation-style=line \
		--no-emit-index-url --no-emit-find-links --custom-compile-command "make lock" \
		-o requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python tools/pin_environment.py
	@touch $(STAMP)
	$(MAKE) notebooks

# The golden KPI tables: every change to them is deliberate and explained in its commit.
golden: $(STAMP)
	$(BIN)/kpi-cases kpis all --out tests/golden

clean:
	rm -rf reports build/browser build/site .pytest_cache .hypothesis
