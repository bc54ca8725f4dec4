"""Paper ballots: reading card files, batches typed or imported, double entry."""
