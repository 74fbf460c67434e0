"""BackCare's own NLU pieces: the red-flag safety net and its negation rules."""
