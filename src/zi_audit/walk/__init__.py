"""Stage 2, the share: listing the evidence tree read-only, what to skip, which mount it is on, and whether it is really there."""
