"""Account pages: register, confirm, log in and out, reset, profile, delete, export."""

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..core.redirects import safe_next
from ..extensions import db, limiter, login_manager
from . import bp, services
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    EmailForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from .tokens import InvalidToken

AUTH_LIMIT = "10 per minute;50 per hour"

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_session_user(session_id)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(
            form.username.data, form.first_name.data, form.last_name.data,
            form.email.data, form.password.data,
        )
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    # The link only shows a button: mail scanners that open links must not confirm anything.
    if request.method == "POST":
        try:
            services.confirm(token)
        except InvalidToken:
            db.session.rollback()
            flash(_("This link is invalid or has expired. Request a new one below."), "error")
            return redirect(url_for("accounts.resend_confirmation"))
        db.session.commit()
        flash(_("Thank you, your e-mail address is confirmed."), "success")
        target = "accounts.profile" if current_user.is_authenticated else "accounts.login"
        return redirect(url_for(target))
    return render_template("accounts/confirm.html", token=token)


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def resend_confirmation():
    form = EmailForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/resend.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except services.LoginSlowedDown as error:
            form.password.errors.append(str(error))
            return render_template("accounts/login.html", form=form), 429
        db.session.commit()  # the owner's mail after many failures, if it is due
        if user is None:
            form.password.errors.append(_("Username/e-mail or password is not correct."))
        elif not user.is_active:
            # Only after the right password: the owner learns why, nobody else that it is.
            return render_template("accounts/login.html", form=form, blocked=True,
                                   blocked_reason=user.blocked_reason)
        else:
            next_url = safe_next(request.args.get("next"), url_for("projects.home"))
            session.clear()  # a fresh session at login, nothing carried over
            login_user(user, remember=form.remember.data)
            if not user.is_confirmed:
                flash(_("Please confirm your e-mail address to take part."), "info")
            return redirect(next_url)
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("projects.home"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def request_reset():
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset(token)
    except InvalidToken:
        flash(_("This link is invalid, has expired or was already used."), "error")
        return redirect(url_for("accounts.request_reset"))
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. Please log in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/account")
@login_required
def profile():
    return render_template("accounts/profile.html", **_profile_forms())


@bp.route("/account/profile", methods=["POST"])
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        services.update_profile(current_user, form.first_name.data, form.last_name.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", **_profile_forms(profile_form=form)), 400


@bp.route("/account/email", methods=["POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(
                current_user, form.new_email.data, form.current_password.data
            )
        except services.AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("We sent a link to the new address. Click it to finish the change."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", **_profile_forms(email_form=form)), 400


@bp.route("/account/password", methods=["POST"])
@login_required
@limiter.limit(AUTH_LIMIT)
def change_password():
    form = ChangePasswordForm(user=current_user)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            # This session goes on with the new token; every other one ends.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", **_profile_forms(password_form=form)), 400


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user._get_current_object(),
                                    form.current_password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted."), "success")
            return redirect(url_for("projects.home"))
    return render_template("accounts/delete.html", form=form)


@bp.route("/account/export")
@login_required
def export():
    data = services.export_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=mitwirkung-meine-daten.json",
            "Cache-Control": "no-store",
        },
    )


def _profile_forms(profile_form=None, email_form=None, password_form=None) -> dict:
    return {
        "profile_form": profile_form or ProfileForm(obj=current_user, formdata=None),
        "email_form": email_form or ChangeEmailForm(formdata=None),
        "password_form": password_form or ChangePasswordForm(user=current_user, formdata=None),
    }
