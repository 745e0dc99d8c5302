"""For the agency admin: users and the audit log; for everyone: the rules in force."""
