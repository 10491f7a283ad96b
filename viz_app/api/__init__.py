"""The local SageMaker lineage service: AWS JSON 1.1 wire protocol, operation handlers, HTTP server."""
