"""The terminal surface: renders posts with rich; the offline default."""
