"""Tests of the offline model's stages."""
