"""The FastAPI application and the `dutygraph` command line, thin over the same services."""
