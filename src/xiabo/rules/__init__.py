"""Rule packs: dated, sourced values from the guide, the law and practice."""

from .loader import BUILTIN_PACKS, check_dir, load_rulebook
from .model import Platform, PlatformView, Rule, RuleBook, RuleMissing

__all__ = ["load_rulebook", "check_dir", "BUILTIN_PACKS", "Rule", "RuleBook", "PlatformView",
           "Platform", "RuleMissing"]
