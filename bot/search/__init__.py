"""Search over the paper store: the port, the query text rules, and the lexical index."""
