# One command builds the reports, one runs the tests; both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2024
SEED ?=
INSTALLED := $(VENV)/.installed

.PHONY: report pdf test lab sample benchmark clean system

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# papermill runs every notebook on this kernel, registered inside the venv
	$(BIN)/python -m ipykernel install --sys-prefix --name hyte_nb --display-name "Python (hyte_nb)"
	touch $@

report: $(INSTALLED) system  ## clean the raw exports and build reports/$(YEAR)/
	$(BIN)/python -m hyte_nb build --year $(YEAR)

pdf: report  ## print every report page to PDF beside its HTML, and reports/kehitys.pdf
	$(BIN)/python -m hyte_nb pdf --year $(YEAR)

# Debian packages, installed here when missing (root on these machines; otherwise install them
# yourself): headless Chromium prints the PDFs and is the browser the page tests use, poppler
# reads PDFs back, Voikko finds Finnish names in any inflected form for the privacy filter.
DEBIAN_PACKAGES := chromium poppler-utils libvoikko1 voikko-fi python3-libvoikko

system:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; }

test: $(INSTALLED) system  ## unit tests, end-to-end papermill runs and browser checks on the sample data
	$(BIN)/python -m pytest

# Jupyter refuses to run as root unless told; these machines' sessions are root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(INSTALLED)  ## JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab $(LAB_ROOT) --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=hyte_nb

sample: $(INSTALLED)  ## write a sample year's raw exports (deterministic; SEED=n for another draw)
	$(BIN)/python -m hyte_nb sample --year $(YEAR) $(if $(SEED),--seed $(SEED),)

benchmark: $(INSTALLED) system  ## the build against its floor, rebuilds, cleaning against DuckDB (ARGS=--large: 10 M rows)
	$(BIN)/python benchmarks/run.py $(ARGS)

clean:  ## remove generated data and reports (never data/raw)
	rm -rf data/processed/[0-9]* data/processed/kehitys reports/[0-9]* reports/index.html reports/kehitys* reports/.manifest.json
