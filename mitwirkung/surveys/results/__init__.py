"""Results of a survey: statistics (pure), the queries, the page and the exports."""
