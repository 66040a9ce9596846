"""Activity files (FIT, GPX, TCX) into the store: sources -> decode (workers) -> importer -> attach."""
