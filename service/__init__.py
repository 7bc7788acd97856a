"""Mentorkorps: the web service, its database, accounts, audit trail and the corps domain."""
