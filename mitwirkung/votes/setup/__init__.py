"""Setting up a vote (staff): the vote, its questions and their options, publishing."""
