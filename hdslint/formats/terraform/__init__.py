"""Terraform as Terraform sees it: module directories, roots, module instances, static
evaluation of expressions, and plan JSON."""
