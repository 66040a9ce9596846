"""The CSV formats crosstrain reads: one module each, turning raw text columns into canonical values."""
