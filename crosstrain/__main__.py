"""`python -m crosstrain` runs the command line."""

from crosstrain.cli import main

main()
