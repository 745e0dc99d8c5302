"""The case: its page, the dashboard, the wizard, the import of many cases and the JSON API."""
