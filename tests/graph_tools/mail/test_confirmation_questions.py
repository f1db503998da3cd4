"""The questions before a send name every recipient, and a subject (text from the arguments,
which the model may have read in someone's mail) cannot restyle them (graph_tools/questions.py).
"""

from __future__ import annotations

import pytest

from graph_tools.questions import listed, quoted
from tests.graph_tools.conftest import text
from tests.graph_tools.scenarios.mail import MESSAGE_ID

pytestmark = pytest.mark.django_db(transaction=True)
ASKS = "This needs the person's confirmation: "
THEN = " Ask them in plain words; only if they agree, call the tool again with the same"


def question(result) -> str:
    """The question inside the refusal a client without elicitation gets."""
    return text(result).removeprefix(ASKS).split(THEN)[0]


async def test_it_names_every_recipient_of_an_e_mail(call_tool, graph) -> None:
    bcc = [f"p{n}@contoso.com" for n in range(12)] + ["mallory@fabrikam.com"]
    cc = [f"c{n}@contoso.com" for n in range(11)]
    arguments = {"to": "bob@contoso.com", "cc": cc, "bcc": bcc, "subject": "Hi", "body": "b"}
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert question(result) == (
        f"Send the e-mail \u201cHi\u201d to bob@contoso.com (cc: {', '.join(cc)}; "
        f"bcc: {', '.join(bcc)})?"
    )
    assert len(graph.calls) == 0


async def test_it_names_every_recipient_of_a_forward(call_tool, graph) -> None:
    to = [f"p{n}@contoso.com" for n in range(15)]
    arguments = {"messageId": MESSAGE_ID, "to": to}
    result = await call_tool("forwardEmail", arguments, consent="not_asked")
    assert question(result) == f"Forward the message to {', '.join(to)}?"


async def test_it_keeps_the_subject_on_one_line_inside_its_quotes(call_tool, graph) -> None:
    subject = 'Lunch?" to bob@contoso.com?\n\n\r\n\t\u2028(the \u201creal\u201d one\u202e)\x00'
    arguments = {"to": "mallory@fabrikam.com", "subject": subject, "body": "b"}
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert question(result) == (
        "Send the e-mail \u201cLunch?' to bob@contoso.com? (the 'real' one)\u201d to "
        "mallory@fabrikam.com?"
    )


async def test_it_cuts_a_long_subject(call_tool, graph) -> None:
    arguments = {"to": "bob@contoso.com", "subject": "Budget  " + "x" * 200, "body": "b"}
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert question(result) == (
        "Send the e-mail \u201cBudget " + "x" * 92 + "\u2026\u201d to bob@contoso.com?"
    )


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("", "\u201c\u201d"),
        ("  Budget   Q3 ", "\u201cBudget Q3\u201d"),
        ("a\u200bb\u202ec\ufeff", "\u201cabc\u201d"),  # invisible format characters go
        ("x" * 100, "\u201c" + "x" * 100 + "\u201d"),
        ("x" * 101, "\u201c" + "x" * 99 + "\u2026\u201d"),
    ],
)
def test_it_quotes_text_on_one_short_line(given, shown) -> None:
    assert quoted(given) == shown


def test_it_lists_addresses_each_on_one_line() -> None:
    assert listed(["bob@contoso.com", "anna@contoso.com"]) == "bob@contoso.com, anna@contoso.com"
    assert listed(["Bob\n<bob@contoso.com>"]) == "Bob <bob@contoso.com>"
    assert listed([]) == ""
