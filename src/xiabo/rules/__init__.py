"""Rule packs: dated, sourced values from the guide, the law and practice."""

from .loader import BUILTIN_PACKS, check_dir, load_rulebook
from .model import QUALITIES, Platform, PlatformView, Rule, RuleBook, RuleMissing, is_unknown

__all__ = ["QUALITIES", "is_unknown", "load_rulebook", "check_dir", "BUILTIN_PACKS", "Rule", "RuleBook", "PlatformView",
           "Platform", "RuleMissing"]
