"""Search over the paper store: the port, the query rules, the keyword (tantivy) and embedding (faiss)
indexes, their fusion, and the service."""
