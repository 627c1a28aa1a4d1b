"""dutygraph: responsibility and collaboration networks in government plans."""

__version__ = "0.1.0"
