"""Years in a row: every report's key figures over every built year (reports/kehitys.html)."""
