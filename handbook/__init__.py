"""Stockholm's handbook engine: load -> check -> render -> site."""

__version__ = "0.1.0"
