"""The pages that replace the terminal: backup, evidence log, exports, privacy, orders, tax."""
