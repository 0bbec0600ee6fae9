"""The twin's control plane: what a real sandbox lacks (run a sync cycle now, read sync health, pause)."""
