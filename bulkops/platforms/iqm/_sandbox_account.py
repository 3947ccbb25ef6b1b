"""The IQM sandbox's built-in API client and workspace host (public by design: README, "Credentials")."""

IQM_CLIENT_ID = "sandbox-client"
IQM_CLIENT_SECRET = "sandbox-secret"
IQM_HOST = "sandbox.bulkops.test"
