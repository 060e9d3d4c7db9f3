"""Executable compendium of Mohsin et al. (2026): tidy data layer, figures, tables and build."""
