"""The local SageMaker lineage service: AWS JSON 1.1 wire, operation handlers, HTTP server."""
