"""@@TITLE@@: the book's own code (its data layer and its checks); the engine is `compendium`."""
