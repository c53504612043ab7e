"""Readers: each input format into the neutral resource model. `discover` walks the paths and
classifies files; terraform/ (HCL, .tf.json, tfvars, plan JSON), kubernetes and scalingo read them."""
