"""lineage-viz: explore Amazon SageMaker ML lineage, against AWS or a local lineage service."""

__version__ = "0.1.0"
