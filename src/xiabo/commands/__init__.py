"""Sub-commands of the `xiabo` CLI, one module each, loaded lazily by xiabo.cli."""
