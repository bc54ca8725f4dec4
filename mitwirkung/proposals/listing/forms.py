"""The list's search, filters and sort: one GET form, so it works without JavaScript and
every list has an address to share."""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import BooleanField, SearchField, SelectField
from wtforms.validators import Length, Optional
from wtforms.widgets import Select, html_params

from ...core.forms import Form
from ...core.i18n import translated
from ..models import IdeaStatus
from .services import Filters, Sort

QUERY_MAX = 200


class QuickSelect(Select):
    """WTForms' select with the same markup, its options written by one format each:
    WTForms' own widget spends about 50 microseconds an option, a tenth of the list page's
    rendering for its three selects."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        options = "".join(
            f'<option {"selected " if selected else ""}value="{escape(value)}">'
            f"{escape(label)}</option>"
            for value, label, selected, _render_kw in field.iter_choices())
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class ListForm(Form):
    """Read from the query string. A value the form does not know (a category of another
    board, an unknown sort, a page of text) is left out, never used or shown back."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search terms"), validators=[Optional(), Length(max=QUERY_MAX)],
                    description=_l("Words from the title, the text or the place."))
    category = SelectField(_l("Category"), default="", widget=QuickSelect())
    status = SelectField(_l("Status"), default="", widget=QuickSelect())
    mine = BooleanField(_l("Only my ideas"))
    sort = SelectField(_l("Sort by"), default=Sort.NEWEST.value, widget=QuickSelect())

    def __init__(self, formdata, *, categories, signed_in: bool):
        """`categories`: the board's (services.categories_of)."""
        super().__init__(formdata=formdata)
        if not signed_in:
            del self.mine
        # Every label translated once (a lazy string asks Flask-Babel each time it is read).
        for field in self:
            field.label.text = translated(field.label.text)
            field.description = translated(field.description) if field.description else ""
        self.category.choices = [("", translated(_l("All categories")))] + [
            (str(category.id), category.name) for category in categories]
        self.status.choices = [("", translated(_l("Every status")))] + [
            (status.value, translated(status.label)) for status in IdeaStatus]
        self.sort.choices = [(sort.value, translated(sort.label)) for sort in Sort]

    def filters(self) -> tuple[Filters, dict]:
        """The valid filters, and the same as query arguments (for the pages, so they keep
        them)."""
        self.validate()
        args = {}
        for field in (self.q, self.category, self.status, self.sort):
            if not field.errors and field.data and str(field.data).strip():
                args[field.name] = str(field.data).strip()
        if "mine" in self and self.mine.data:
            args["mine"] = "1"
        if args.get("sort") == Sort.NEWEST:
            del args["sort"]  # the default: shorter addresses
        filters = Filters(
            words=args.get("q", ""),
            category_id=int(args["category"]) if "category" in args else None,
            status=args.get("status"),
            mine="mine" in args,
            sort=Sort(args.get("sort", Sort.NEWEST)),
        )
        return filters, args
