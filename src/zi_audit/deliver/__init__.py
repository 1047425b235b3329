"""Stage 7, delivery: the nightly run, watch mode, and the email."""
