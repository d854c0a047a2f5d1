# kpi-cases: two commands on a fresh machine.
#   make run   set up .venv (when missing) and run every case notebook headless into reports/
#   make test  set up .venv (when missing) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Two cores: keep BLAS single-threaded so test workers do not fight over them.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all run test lab data notebooks setup clean help

help:
	@echo "make run    set up and run every case headless into reports/"
	@echo "make test   set up and run all tests (unit, property, notebooks, CLI)"
	@echo "make lab    open JupyterLab on notebooks/"
	@echo "make data   regenerate data/ from the seeded generators"
	@echo "make notebooks  re-execute the notebooks in place (refresh committed outputs)"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi-cases)" >/dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kpi-cases run all --out reports

test: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env tests notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

data: $(STAMP)
	$(BIN)/python -m kpi_helpers.synth --out data

notebooks: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py

clean:
	rm -rf reports .pytest_cache .hypothesis
