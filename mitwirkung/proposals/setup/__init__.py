"""Setting up an idea board (staff): the board, its phases and settings, its categories."""
