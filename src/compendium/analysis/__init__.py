"""What the book says: the data layer, its validation, and the analyses computed from it."""
