from django.db import models


class RecordKind(models.TextChoices):
    """信用行为 (6.6.9, 6.7.1): what an enterprise did in applying for and performing a
    guarantee. The scoring rules (6.9.3) weigh these; the records only state the facts."""

    LATE_PAYMENT = "late_payment", "逾期缴费"
    REJECTED = "rejected", "申请被拒"
    RELEASED_ON_TIME = "released_on_time", "按期解保"
    RELEASED_EARLY = "released_early", "提前解保"
    SURRENDERED = "surrendered", "退保"
    CLAIMED = "claimed", "被索赔"


class Polarity(models.TextChoices):
    """A hint for the scoring rules to come, not a score: they may weigh a kind otherwise."""

    POSITIVE = "positive", "正面"
    NEUTRAL = "neutral", "中性"
    NEGATIVE = "negative", "负面"


POLARITY = {
    RecordKind.LATE_PAYMENT: Polarity.NEGATIVE,
    RecordKind.REJECTED: Polarity.NEGATIVE,
    RecordKind.RELEASED_ON_TIME: Polarity.POSITIVE,
    RecordKind.RELEASED_EARLY: Polarity.NEUTRAL,
    RecordKind.SURRENDERED: Polarity.NEUTRAL,
    RecordKind.CLAIMED: Polarity.NEGATIVE,
}
