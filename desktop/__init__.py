"""TrialTree: an offline reference browser for ME/CFS and long COVID research."""

__version__ = "0.1.0"
