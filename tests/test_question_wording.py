"""One instruction per question: the page's hint is left out when the prompt already gives it."""

from __future__ import annotations

from dataclasses import replace

from builder.model import Course
from tests.helpers import course_spec
from tests.render_support import MULTIPLE, TRUE_FALSE, assessment, module, render


def legends(prompt_multiple: str, prompt_tf: str) -> list[str]:
    mod = module("m", 1, pre=False, post=False)
    post = assessment(
        "post-test", {**MULTIPLE, "prompt": prompt_multiple}, {**TRUE_FALSE, "prompt": prompt_tf}
    )
    course = Course(spec=course_spec(), modules=(replace(mod, post_test=post),))
    tree, _ = render(course)
    return [
        " ".join(lg.text_content().split()) for lg in tree.xpath("//fieldset[@class='cp-q']/legend")
    ]


def test_the_hint_is_added_once() -> None:
    assert legends("Which are means?", "Children can consent.") == [
        "Which are means? (choose all that apply)",
        "Children can consent. (true or false)",
    ]


def test_a_prompt_that_says_it_keeps_its_own_words_only() -> None:
    assert legends(
        "Which are means? Select all that apply.", "True or false: children can consent."
    ) == [
        "Which are means? Select all that apply.",
        "True or false: children can consent.",
    ]
