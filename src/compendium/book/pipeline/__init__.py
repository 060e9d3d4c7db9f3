"""The build pipeline: validate, execute what changed, stage, render strictly, swap into place."""
