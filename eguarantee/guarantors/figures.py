"""Figures the platform computes about a guarantor's business (guarantees issued, amount
outstanding), shown beside what the guarantor declares (6.2.2).

Guarantees live in a later module that guarantors may not import (imports go downward
only), so that module registers a provider here:

    from eguarantee.guarantors import figures

    @figures.register
    def guarantee_figures(guarantor_id, guarantee_type_id):
        return figures.Figures(issued_count=..., outstanding_amount=Decimal(...))

Until a provider is registered there are no figures at all — pages say "暂无出函数据"
rather than show zeros that look like facts. With several providers, their figures add up.
"""

from dataclasses import dataclass
from decimal import Decimal

_providers = []


@dataclass(frozen=True)
class Figures:
    issued_count: int = 0
    outstanding_amount: Decimal = Decimal("0")


def register(provider):
    """provider(guarantor_id, guarantee_type_id) -> Figures; usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider):
    if provider in _providers:
        _providers.remove(provider)


def registered():
    return bool(_providers)


def for_offer(offer):
    """The summed figures for this offer's guarantor and type, or None without a provider."""
    if not _providers:
        return None
    issued, outstanding = 0, Decimal("0")
    for provider in _providers:
        result = provider(offer.guarantor_id, offer.guarantee_type_id)
        issued += result.issued_count
        outstanding += Decimal(result.outstanding_amount)
    return Figures(issued_count=issued, outstanding_amount=outstanding)


def capacity_used(offer, result):
    """Share of the declared total capacity in use, as a percentage with two decimals."""
    if result is None or not offer.total_capacity:
        return None
    return (result.outstanding_amount * 100 / offer.total_capacity).quantize(Decimal("0.01"))
