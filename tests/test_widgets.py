"""Blank GOV.UK form fields are rendered once per process; fields with a value or an error never
come from that store, and text stays escaped."""

import pytest
from flask import template_rendered
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import InputRequired

from licensing.web import widgets


class NoteForm(FlaskForm):
    body = StringField("Summary", widget=GovTextInput(), validators=[InputRequired("Enter a summary")])


@pytest.fixture
def renders(app):
    names = []

    def rendered(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(rendered, app)
    widgets._rendered.clear()
    yield names
    template_rendered.disconnect(rendered, app)


def _field_html(app, formdata=None, validate=False, **kwargs):
    with app.test_request_context(method="POST" if formdata else "GET", data=formdata or {}):
        form = NoteForm(meta={"csrf": False}) if formdata else NoteForm(formdata=None, meta={"csrf": False})
        if validate:
            form.validate()
        return str(form.body(**kwargs))


def test_a_blank_field_is_rendered_once_and_then_reused(app, renders):
    first, second = _field_html(app), _field_html(app)
    assert first == second and 'name="body"' in first and "Summary" in first
    assert renders.count("govuk_frontend_wtf/input.html") == 1


def test_fields_with_a_value_or_an_error_are_rendered_each_time(app, renders):
    alice = _field_html(app, {"body": "Alice <b>"})
    bob = _field_html(app, {"body": "Bob"})
    assert 'value="Alice &lt;b&gt;"' in alice and 'value="Bob"' in bob
    error = _field_html(app, {"body": ""}, validate=True)
    assert "Enter a summary" in error
    assert renders.count("govuk_frontend_wtf/input.html") == 3
    assert not any("Alice" in str(html) for html in widgets._rendered.values())


def test_markup_and_text_with_the_same_characters_are_not_confused(app, renders):
    as_text = _field_html(app, params={"hint": {"text": "<i>Note</i>"}})
    as_markup = _field_html(app, params={"hint": {"text": Markup("<i>Note</i>")}})
    assert "&lt;i&gt;Note&lt;/i&gt;" in as_text and "<i>Note</i>" not in as_text
    assert "<i>Note</i>" in as_markup
    assert _field_html(app, params={"hint": {"text": "<i>Note</i>"}}) == as_text
