"""Signing in: passwords and sessions (agency mode), phones paired by a one-time link (LAN)."""
