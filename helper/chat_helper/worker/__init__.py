"""The warm worker shared by a run's helper calls: the calling side, the worker, and what both share."""
