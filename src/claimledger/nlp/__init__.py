"""Language analysis: spaCy components that find claims, sources, quantities and times."""
