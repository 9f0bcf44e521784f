"""The link stage's public names are used by the store hook, the CLI, exports and the web
app: pin them."""

import sitrep.link


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.link.__all__) == [
        "Disagreement",
        "FEATURE_NAMES",
        "Incident",
        "IncidentIndex",
        "LinkSettings",
        "LinkView",
        "Scorer",
        "SourceValue",
        "build_incident",
        "cluster",
        "could_match",
        "default_scorer",
        "groups",
        "link_order",
        "link_settings",
        "lowest_credible_toll",
        "pair_features",
    ]
    assert all(hasattr(sitrep.link, name) for name in sitrep.link.__all__)
