"""The base of every form: Flask-WTF's, reading only what an HTML form can send to it.

Flask-WTF hands a form every uploaded file beside the text fields, and a JSON body as form
data. A file sent under a text field's name reached that field's validators as a
FileStorage (TypeError in Length: a 500), and a JSON list or number broke the form's
construction (a 500 too). Our forms are HTML forms: a file counts only in a file field,
and a JSON body is no form data at all, so such requests fail validation like any other
bad input."""

from flask import has_request_context, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms.fields import FileField


class Form(FlaskForm):
    """FlaskForm for every form of the app; see the module's docstring."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # Flask-WTF's default is a sentinel; None or a MultiDict is a view's own choice.
            chosen = formdata is None or hasattr(formdata, "getlist")
            if not chosen and has_request_context() and request.is_json:
                return None
            formdata = super().wrap_formdata(form, formdata)
            if not isinstance(formdata, CombinedMultiDict):
                return formdata
            files, text = formdata.dicts
            not_files = {field.name for field in form if not isinstance(field, FileField)}
            kept = MultiDict([(name, file) for name, file in files.items(multi=True)
                              if name not in not_files])
            return CombinedMultiDict((kept, text))
