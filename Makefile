# One command builds the reports, one runs the tests; both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2024
INSTALLED := $(VENV)/.installed

.PHONY: report test lab sample benchmark clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# papermill runs every notebook on this kernel, registered inside the venv
	$(BIN)/python -m ipykernel install --sys-prefix --name hyte_nb --display-name "Python (hyte_nb)"
	touch $@

report: $(INSTALLED)  ## clean the raw exports and build reports/$(YEAR)/
	$(BIN)/python -m hyte_nb build --year $(YEAR)

test: $(INSTALLED)  ## unit tests and end-to-end papermill runs on the sample data
	$(BIN)/python -m pytest

lab: $(INSTALLED)  ## JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=hyte_nb

sample: $(INSTALLED)  ## rewrite the bundled sample raw exports (deterministic)
	$(BIN)/python -m hyte_nb sample --year $(YEAR)

benchmark: $(INSTALLED)  ## time the cleaning, the figures and a full build
	$(BIN)/python benchmarks/run.py

clean:  ## remove generated data and reports (never data/raw)
	rm -rf data/processed/[0-9]* reports/[0-9]*
