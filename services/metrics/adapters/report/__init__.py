"""The report's outward forms (HTML, PDF, CSV, XLSX) and the forecast service client."""
