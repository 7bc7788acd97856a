"""Matching in the service: storage, engine input from the database, assignment, agreements."""
