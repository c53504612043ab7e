"""The knowledge in policies/ (YAML validated by JSON Schema), loaded and looked up: countries
and region tables, Terraform provider and Kubernetes facts, the HDS certification catalog,
SaaS endpoints, secret formats, checkov's checks on the HDS map."""
