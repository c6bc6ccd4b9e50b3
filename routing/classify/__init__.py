"""Request -> category (-> department and enforcement team), with a confidence."""
