"""Pictures of an analysis: the movie barcode and the palette sheet. No file I/O here."""
