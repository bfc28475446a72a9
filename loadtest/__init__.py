"""Load and accuracy tooling: labelled events, corpora, and scoring against the scan contract."""
