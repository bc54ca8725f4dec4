"""Setting up a survey (staff): its settings, its questions in pages, publishing."""
