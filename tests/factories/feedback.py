"""Factories of the feedback app: questions of a program's bank and forms made of them."""

from __future__ import annotations

import factory

from feedback.models import Form, FormPurpose, FormQuestion, Question, QuestionKind

from .cohorts import ProgramFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    program = factory.SubFactory(ProgramFactory)
    kind = QuestionKind.RATING
    text = factory.Sequence(lambda n: f"How useful was it? ({n})")
    labels = factory.LazyAttribute(
        lambda o: (
            ["Not useful", "Slightly", "Somewhat", "Very", "Extremely"]
            if o.kind == QuestionKind.RATING
            else []
        )
    )
    choices = factory.LazyAttribute(
        lambda o: (
            ["Too short", "About right", "Too long"]
            if o.kind in QuestionKind.with_choices()
            else []
        )
    )


class FormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Form
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    purpose = FormPurpose.EVALUATION
    title = factory.Sequence(lambda n: f"Session evaluation {n}")
    anonymous = True

    @factory.post_generation
    def kinds(obj, create, extracted, **kwargs):
        """`FormFactory(kinds=["rating", "long_text"])`: one new bank question of each kind,
        in order; the text questions optional."""
        if not create or not extracted:
            return
        for position, kind in enumerate(extracted):
            question = QuestionFactory(program=obj.program, kind=kind)
            FormQuestion.objects.create(
                form=obj,
                question=question,
                position=position,
                required=kind not in QuestionKind.textual(),
            )
