"""JSON Schema for claimledger's analysis output (analysis.schema.json; see docs/schema.md)."""
