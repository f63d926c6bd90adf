"""What each command does: load data, run the computing layer, hand the result to a presenter."""
