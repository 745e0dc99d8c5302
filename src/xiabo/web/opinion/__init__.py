"""Opinion monitoring on a case: importing comments and the report."""
