"""Referrals for tests, made through the services as a practitioner would."""

from lantern.referrals import services


def refer(*, by, child, **kwargs):
    defaults = dict(
        concern="Seen getting into cars with older males after school; has new phones and clothes.",
        indicator_ids=["SEX-02", "EXP-01"],
        childs_words="They look after me.",
        action_taken="Spoke to mum; made a safety plan with the child.",
        consent_sought=True,
    )
    defaults.update(kwargs)
    return services.refer_child(by=by, child=child, **defaults)
