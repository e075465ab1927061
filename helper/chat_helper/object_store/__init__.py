"""A team's object store (cache_url) as the chat flow's cache uses it: S3 reads and conditional
writes through botocore, the lease that lets one machine ask the API, and the error lines."""
