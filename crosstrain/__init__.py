"""crosstrain: training-balance analytics for runners and their coaches."""

__version__ = "0.1.0"
