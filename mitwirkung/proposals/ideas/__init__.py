"""The life of an idea: submitting, editing, withdrawing, its page, the city's answers."""
