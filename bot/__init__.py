"""The Rasa project: domain, credentials, endpoints and custom input channels."""
