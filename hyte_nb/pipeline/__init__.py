"""The build: reports declared in reports.yml and organisaatio.yml, run by papermill,
rendered by nbconvert, indexed, printed to PDF."""
