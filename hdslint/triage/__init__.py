"""What happens to findings once the rules have run: checkov's findings merged in, inline and
configured suppressions, baselines."""
