"""The host the process runs on: the CPUs it may use, and the pools of threads sized to them."""
