"""Results: the tally of all channels, its page, JSON, CSV and command."""
