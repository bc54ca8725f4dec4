"""The image upload fields that projects and vote options share: file, alt text, removal."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, ValidationError
from wtforms.validators import Length


def image_fields():
    """(image_file, image_alt, remove_image), created where the form lists them.

    Flask-WTF's FileField, not WTForms': a browser sends an untouched file input as an empty
    part, which must mean "no image", not a broken one."""
    return (
        FileField(_l("Image"), description=_l("JPEG, PNG or WebP, at most 5 MB.")),
        StringField(
            _l("Image description (alt text)"),
            validators=[Length(max=300)],
            description=_l("Describe what the image shows for people who cannot see it."),
        ),
        BooleanField(_l("Remove the current image")),
    )


def require_alt_text(form, field):
    """An image that is uploaded or kept needs a description (set `form.has_image` when editing)."""
    keeps_image = getattr(form, "has_image", False) and not form.remove_image.data
    if (form.image_file.data or keeps_image) and not (field.data or "").strip():
        raise ValidationError(_l("Please describe the image."))


def image_upload_message(error) -> str:
    """What to tell the person whose image upload was refused (core.uploads.UploadRejected)."""
    from flask_babel import gettext as _

    if error.args and error.args[0] == "size":
        return _("The file is larger than 5 MB.")
    return _("This is not a valid JPEG, PNG or WebP image.")
