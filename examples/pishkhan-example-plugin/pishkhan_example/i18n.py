"""The example plugin's translation domain, ``pishkhan_example`` (catalogs in ``locale/``)."""
from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("pishkhan_example")


def translator(request):
    """``translate("msgid", name=value)`` for this plugin's templates.

    The templates' ``_`` translates in the core's ``pishkhan`` domain, so the plugin's own
    strings go through this function instead (extract them with ``-k translate``).
    """

    def translate(msgid: str, **mapping) -> str:
        return request.localizer.translate(_(msgid, mapping=mapping or None))

    return translate
