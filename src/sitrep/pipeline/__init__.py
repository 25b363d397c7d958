"""spaCy components that turn an article into situation facts.

Each extractor is a pipeline component registered with ``Language.factory`` under a versioned name
and writes its results to ``Doc._`` extensions:

==========================  =======================  ===========================
factory                     writes                   reads
==========================  =======================  ===========================
``sitrep_structure_v1``     ``doc._.blocks``         ``doc._.meta``
``sitrep_dates_v1``         ``doc._.dates``          ``doc.ents``, ``doc._.meta``
``sitrep_places_v1``        ``doc._.places``         ``doc.ents``
``sitrep_actors_v1``        ``doc._.actors``         ``doc.ents``, ``doc._.places``
``sitrep_quotes_v1``        ``doc._.quotes``         ``doc._.actors``
``sitrep_figures_v1``       ``doc._.figures``        everything above
==========================  =======================  ===========================

``sitrep_attribute_ruler_v1`` (in :mod:`sitrep.pipeline.speed`) stands in for the model's own attribute
ruler with the same rules and exactly the same output, faster (setting ``fast_paths``).
"""

from sitrep.pipeline.build import COMPONENTS, load

__all__ = ["COMPONENTS", "load"]
