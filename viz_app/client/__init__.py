"""Everything lineage-viz says to SageMaker as a client, in one place.

`factory` builds boto3 clients with the one retry policy; `read_only` is the allow-list and
the guard every client carries; `paging` follows NextToken; `describe` knows which Describe
call each kind of lineage entity takes; `directions` gives QueryLineage's direction names.

The app (`viz_app.ui`), the evidence commands and the notebook use these, and the local
service's `--read-only` set is the same allow-list. The package sits just above
`viz_app.core`: its modules import only core, botocore and boto3.
"""
