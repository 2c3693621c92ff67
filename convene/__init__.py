"""Convene: manage child protection conferences."""
