"""Packages are found, not listed: every package under hdslint/ ships, plus the knowledge in
policies/, installed as hdslint.policies (pyproject.toml maps the folder and its data files)."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["hdslint", "hdslint.*"]) + ["hdslint.policies"])
