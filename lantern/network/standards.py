"""Rules of the standards engine that watch the network (F02)."""
