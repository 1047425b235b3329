"""The state directory, never on the share: verdict cache, history, lock, last report, outbox, unsent mail."""
