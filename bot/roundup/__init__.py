"""The weekly roundup and the living thread: what comes back to a channel after its digests are posted."""
