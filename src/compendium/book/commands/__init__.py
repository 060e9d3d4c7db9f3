"""Commands beyond the build: make record, make rerun, make chapter."""
