"""Company culture and candidate fit, after the Organizational Culture Profile (O'Reilly, Chatman & Caldwell, 1991).

* ``catalogue``: the 54 items and seven dimensions, in Russian and English;
* ``profiles``: the Q-sort and rating modes, validation, a company's profile from many respondents, agreement;
* ``fit``: person-organisation fit, the correlation of two profiles;
* ``inference``: a candidate's profile from what they said in interviews (the signals come from the scorer).

Pure: no database, no model. ``talentmind.company_culture`` is the use-case layer the gateway calls.
"""

from talentmind.culture.catalogue import (
    DIMENSION_INFO,
    DIMENSIONS,
    ITEM_COUNT,
    ITEM_IDS,
    ITEMS,
    CultureItem,
    Dimension,
    describe,
    item_label,
    items_of,
    normalize_language,
)
from talentmind.culture.fit import (
    ATTENTION_MIN_DIFFERENCE,
    MATCH_MAX_DIFFERENCE,
    MAX_ATTENTION,
    MAX_MATCHES,
    FitResult,
    person_organization_fit,
)
from talentmind.culture.inference import CultureQuote, CultureSignals, InferredProfile, forced_sort, infer_profile
from talentmind.culture.profiles import (
    FORCED_DISTRIBUTION,
    MODES,
    RATING_MAX,
    RATING_MIN,
    Agreement,
    CompanyProfile,
    Profile,
    ProfileError,
    aggregate,
    dimension_scores,
    is_forced_distribution,
    parse_profile,
)

__all__ = [
    "ATTENTION_MIN_DIFFERENCE",
    "DIMENSIONS",
    "DIMENSION_INFO",
    "FORCED_DISTRIBUTION",
    "ITEMS",
    "ITEM_COUNT",
    "ITEM_IDS",
    "MATCH_MAX_DIFFERENCE",
    "MAX_ATTENTION",
    "MAX_MATCHES",
    "MODES",
    "RATING_MAX",
    "RATING_MIN",
    "Agreement",
    "CompanyProfile",
    "CultureItem",
    "CultureQuote",
    "CultureSignals",
    "Dimension",
    "FitResult",
    "InferredProfile",
    "Profile",
    "ProfileError",
    "aggregate",
    "describe",
    "dimension_scores",
    "forced_sort",
    "infer_profile",
    "is_forced_distribution",
    "item_label",
    "items_of",
    "normalize_language",
    "parse_profile",
    "person_organization_fit",
]
