"""SYNTHETIC sample data: four made-up athletes for the demo and tests, and the script that makes them."""
