"""Judgements on the resource model, from the knowledge: where data lives (location, cluster),
how it is protected (conditions, protection, manifests) and which HDS certificate covers it
(coverage). Readers call `location` while they resolve values; rules read the rest."""
