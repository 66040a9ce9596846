"""Managing what is stored: athletes (rename, merge, delete, settings) and recategorising activities."""
